#!/bin/sh
# expect: failed 9
# feedback: detach
# Wrong: pivot_root . . without the unmount: the old root stays stacked on the new one at
# /, and a process entering the container's namespace lands on the lab host's root.
set -e
R=/var/lib/mountlab/c1/merged
mkdir -p $R/data
mount --rbind /srv/data $R/data
mount --make-rslave $R/data
cd $R
pivot_root . .
