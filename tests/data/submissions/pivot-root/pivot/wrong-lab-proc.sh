#!/bin/sh
# expect: failed 6
# feedback: proc
# Wrong: the lab's /proc moved into the new root before pivot_root: it shows the lab
# host's PID namespace, and /proc/1/root there is the lab host's root.
set -e
NEW=/var/lib/mountlab/c1/merged
mkdir -p $NEW/oldroot
mount --rbind /proc $NEW/proc
cd $NEW
pivot_root . oldroot
cd /
umount -l /oldroot
rmdir /oldroot
cat /etc/os-release
