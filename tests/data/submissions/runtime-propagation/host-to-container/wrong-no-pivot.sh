#!/bin/sh
# expect: failed 0
# feedback: pivot_root
# Wrong: the volume is set up in the rootfs, but the container never pivots into it.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rslave $R/data
