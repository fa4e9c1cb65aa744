#!/bin/sh
# expect: failed 4
# Wrong: writes into upperdir by hand instead of through the merged view: no whiteout, no opaque dir.
U=/var/lib/mountlab/c1/upper
mkdir -p $U/etc $U/app/config $U/var/log
echo patched > $U/etc/motd
