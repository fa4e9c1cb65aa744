#!/bin/sh
# expect: failed 6
# Wrong: before the pivot, the directory of the lab's PID 1 in the lab's proc is bound
# into the new root; its `root` is the lab host's root, after the pivot as before.
set -e
NEW=/var/lib/mountlab/c1/merged
mkdir -p $NEW/mnt/one
mount --bind /proc/1 $NEW/mnt/one
cd $NEW
pivot_root . .
umount -l .
cd /
cat /etc/os-release
