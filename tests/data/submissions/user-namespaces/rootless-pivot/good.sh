#!/bin/sh
# expect: passed 12
# Reference: the overlay is locked here (inherited); a bind onto itself is a mount of this namespace's own.
set -e
NEW=/var/lib/mountlab/c1/merged
mount --bind $NEW $NEW
cd $NEW
pivot_root . .
busybox umount -l .
cat /etc/os-release
