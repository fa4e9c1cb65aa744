#!/bin/sh
# expect: failed 6
# Wrong: the lab host's root bound on a mount point whose name holds a newline, a tab
# and spaces (mountinfo escapes them as \012, \011, \040): it is a mount like any other.
set -e
NEW=/var/lib/mountlab/c1/merged
D="$NEW/tmp/ a
	b "
mkdir -p "$D" $NEW/oldroot
mount --bind / "$D"
cd $NEW
pivot_root . oldroot
cd /
umount -l /oldroot
rmdir /oldroot
cat /etc/os-release
