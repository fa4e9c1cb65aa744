#!/bin/sh
# expect: failed 6
# feedback: umount
# Wrong: the bind and pivot_root are right, but the old root stays mounted on /oldroot.
set -e
NEW=/var/lib/mountlab/c1/merged
mount --bind $NEW $NEW
mkdir -p $NEW/oldroot
pivot_root $NEW $NEW/oldroot
cat /etc/os-release
