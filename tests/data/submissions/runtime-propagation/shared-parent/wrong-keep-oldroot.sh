#!/bin/sh
# expect: failed 7
# feedback: detach
# Wrong: the pivot succeeds, but the old root stays mounted on /oldroot, and with it every
# file of the lab host.
set -e
R=/var/lib/mountlab/c1/merged
echo /var/lib/mountlab > $R/root/cause
mount --make-private /var/lib/mountlab
mkdir -p $R/oldroot
pivot_root $R $R/oldroot
cd /
