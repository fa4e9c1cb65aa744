#!/bin/sh
# expect: passed 10
# Also right: bind the rootfs onto itself (as runc's prepareRoot does): new_root is then
# the bind, whose parent is the private overlay, and the shared data root is no longer
# new_root's parent.
set -e
R=/var/lib/mountlab/c1/merged
echo /var/lib/mountlab > $R/root/cause
mount --rbind $R $R
cd $R
pivot_root . .
busybox umount -l .
cd /
