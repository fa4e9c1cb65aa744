#!/bin/sh
# expect: failed 7
# feedback: parent
# Wrong cause: the overlay (new_root itself) is private; its parent mount is the shared one.
set -e
R=/var/lib/mountlab/c1/merged
echo $R > $R/root/cause
mount --make-rprivate /var/lib/mountlab
cd $R
pivot_root . .
busybox umount -l .
cd /
