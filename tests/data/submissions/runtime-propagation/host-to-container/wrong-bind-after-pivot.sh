#!/bin/sh
# expect: failed 3
# feedback: before
# Wrong: after the pivot and the unmount of the old root, the lab host's /srv/data is out
# of reach: the bind fails.
set -e
R=/var/lib/mountlab/c1/merged
cd $R
pivot_root . .
busybox umount -l .
cd /
mkdir -p /data
busybox mount --rbind /srv/data /data
busybox mount --make-rslave /data
