#!/bin/sh
# expect: passed 10
# Also right: crun's way, every mount of the container private (recursively).
set -e
R=/var/lib/mountlab/c1/merged
printf '%s' /var/lib/mountlab > $R/root/cause
mount --make-rprivate /
cd $R
pivot_root . .
busybox umount -l .
cd /
