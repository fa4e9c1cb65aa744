#!/bin/sh
# expect: failed 6
# Wrong: the new root is an overlay whose lowest layer is the lab host's own /, so
# /HOST_SECRET (and every file of the lab host) is in the merged view after the pivot.
set -e
mkdir -p /var/lib/mountlab/sneak
mount -t overlay overlay -o lowerdir=/var/lib/mountlab/c1/merged:/ /var/lib/mountlab/sneak
cd /var/lib/mountlab/sneak
pivot_root . .
umount -l .
cd /
cat /etc/os-release
