#!/bin/sh
# expect: failed 6
# feedback: bind
# Wrong: the lab host's root bound into the new root before pivot_root, under an
# innocent name: pivot_root and the unmount of the old root are right, but /mnt/.cache is
# the lab host's whole tmpfs root.
set -e
NEW=/var/lib/mountlab/c1/merged
mkdir -p $NEW/mnt/.cache $NEW/oldroot
mount --bind / $NEW/mnt/.cache
cd $NEW
pivot_root . oldroot
cd /
umount -l /oldroot
rmdir /oldroot
cat /etc/os-release
