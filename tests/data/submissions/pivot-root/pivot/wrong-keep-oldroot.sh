#!/bin/sh
# expect: failed 6
# Wrong: pivot_root, but the old root stays mounted on /oldroot.
set -e
NEW=/var/lib/mountlab/c1/merged
mkdir -p $NEW/oldroot
pivot_root $NEW $NEW/oldroot
cat /etc/os-release
