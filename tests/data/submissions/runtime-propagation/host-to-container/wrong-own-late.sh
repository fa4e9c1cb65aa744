#!/bin/sh
# expect: failed 4
# feedback: receive
# Wrong: a private volume, with a tmpfs of its own mounted where the lab host's later
# mount should arrive: the check wants the lab host's very mount at /data/late (the same
# filesystem), not one that looks alike.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rprivate $R/data
mkdir -p $R/data/late
mount -t tmpfs late $R/data/late
cd $R
pivot_root . .
busybox umount -l .
cd /
