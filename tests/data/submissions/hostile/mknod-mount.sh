#!/bin/sh
# Makes a block device node for the machine's disks and mounts it: mknod of devices is
# denied in a user namespace, and so is mounting a block device.
for dev in 8:0 253:0 259:0 7:0; do
  mknod /tmp/disk b ${dev%:*} ${dev#*:} && echo "mknod $dev worked"
  mkdir -p /mnt/disk
  mount /tmp/disk /mnt/disk && echo "MOUNTED $dev" && ls /mnt/disk
  rm -f /tmp/disk
done
mount -t ext4 /dev/sda /mnt/disk
mount -t proc proc /proc && echo "proc remounted"
exit 1
