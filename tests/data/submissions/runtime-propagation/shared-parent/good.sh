#!/bin/sh
# expect: passed 10
# Reference: the data root /var/lib/mountlab (new_root's parent mount) is shared:N; make
# it private, then pivot_root and detach the old root.
set -e
R=/var/lib/mountlab/c1/merged
echo /var/lib/mountlab > $R/root/cause
mount --make-private /var/lib/mountlab
cd $R
pivot_root . .
busybox umount -l .
cd /
