#!/bin/sh
# expect: failed 0
# feedback: locked
# Wrong: pivot_root straight into the inherited overlay; it is locked (EINVAL), so nothing changes
# and the script prints the lab host's os-release.
NEW=/var/lib/mountlab/c1/merged
cd $NEW
pivot_root . .
busybox umount -l .
cat /etc/os-release
