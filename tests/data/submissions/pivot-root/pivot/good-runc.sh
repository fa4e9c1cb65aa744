#!/bin/sh
# expect: passed 14
# Reference, runc's way: pivot_root(".", "."), then detach the old root stacked on top.
set -e
cd /var/lib/mountlab/c1/merged
pivot_root . .
umount -l /
cd /
cat /etc/os-release
