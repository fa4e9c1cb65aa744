#!/bin/sh
# expect: failed 9
# feedback: opaque
# Wrong: empties /app/config file by file: a plain directory full of whiteouts, not an opaque one.
set -e
M=/var/lib/mountlab/c1/merged
echo patched > $M/etc/motd
rm $M/var/log/base.log
rm $M/app/config/*
