#!/bin/sh
# expect: passed 10
# Reference, as runc does for mountPropagation: HostToContainer: bind the volume, make
# the bind rslave, then pivot_root into the rootfs and detach the old root.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rslave $R/data
cd $R
pivot_root . .
busybox umount -l .
cd /
