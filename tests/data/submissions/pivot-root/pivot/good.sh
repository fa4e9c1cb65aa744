#!/bin/sh
# expect: passed 14
# Reference: pivot_root into the overlay, then detach the old root.
set -e
NEW=/var/lib/mountlab/c1/merged
mkdir -p $NEW/oldroot
cd $NEW
pivot_root . oldroot
cd /
umount -l /oldroot
rmdir /oldroot
cat /etc/os-release
