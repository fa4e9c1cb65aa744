#!/bin/sh
# expect: failed 0
# Wrong: pivot_root into a plain directory (not a mount point) fails with EINVAL/EBUSY.
mkdir -p /var/lib/mountlab/rootfs/oldroot
cp -a /var/lib/mountlab/c1/merged/etc /var/lib/mountlab/rootfs/
pivot_root /var/lib/mountlab/rootfs /var/lib/mountlab/rootfs/oldroot
cat /etc/os-release
