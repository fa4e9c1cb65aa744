#!/bin/sh
# expect: failed 3
# feedback: alone
# Wrong fix: --make-private / changes / only; the data root under it stays shared and
# pivot_root still fails with EINVAL.
set -e
R=/var/lib/mountlab/c1/merged
echo /var/lib/mountlab > $R/root/cause
mount --make-private /
cd $R
pivot_root . .
busybox umount -l .
cd /
