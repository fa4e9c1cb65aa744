#!/bin/sh
# expect: failed 7
# feedback: parent
# Wrong cause: / is private here; the shared mount is new_root's parent, the data root.
set -e
R=/var/lib/mountlab/c1/merged
echo / > $R/root/cause
mount --make-private /var/lib/mountlab
cd $R
pivot_root . .
busybox umount -l .
cd /
