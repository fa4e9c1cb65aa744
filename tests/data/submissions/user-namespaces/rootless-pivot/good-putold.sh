#!/bin/sh
# expect: passed 12
# Reference, the classic form: bind the overlay onto itself, pivot_root with a put_old, detach it.
set -e
NEW=/var/lib/mountlab/c1/merged
mount --bind $NEW $NEW
mkdir -p $NEW/oldroot
pivot_root $NEW $NEW/oldroot
busybox umount -l /oldroot
cat /etc/os-release
