#!/bin/sh
# expect: failed 0
# feedback: locked
# Wrong: taking pivot_root's EINVAL for the shared-parent rule; the mounts here are slaves already,
# and --make-rprivate does not unlock the inherited overlay: pivot_root still says EINVAL.
NEW=/var/lib/mountlab/c1/merged
mount --make-rprivate /
cd $NEW
pivot_root . .
busybox umount -l .
cat /etc/os-release
