#!/bin/sh
# expect: failed 8
# feedback: shared
# Wrong: rshared is Bidirectional, not HostToContainer (here, under an rslave root, the
# bind becomes shared,slave).
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rshared $R/data
cd $R
pivot_root . .
busybox umount -l .
cd /
