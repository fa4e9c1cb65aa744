#!/bin/sh
# expect: failed 4
# feedback: private
# Wrong: Docker's and Kubernetes' default (rprivate, None): the volume receives nothing
# the lab host mounts later.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rprivate $R/data
cd $R
pivot_root . .
busybox umount -l .
cd /
