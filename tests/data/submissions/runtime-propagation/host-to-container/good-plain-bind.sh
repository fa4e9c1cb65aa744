#!/bin/sh
# expect: passed 10
# Also right: with the root rslave, a bind of /srv/data is a copy of a slave mount, and
# the kernel makes the copy a slave of the same master: it receives already.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
cd $R
pivot_root . .
busybox umount -l .
cd /
