#!/bin/sh
# expect: passed 12
# Reference: everything through the merged view; overlayfs writes upperdir.
set -e
M=/var/lib/mountlab/c1/merged
echo patched > $M/etc/motd          # copy-up, then the write
rm $M/var/log/base.log               # a whiteout
rm -r $M/app/config                  # a whiteout for the directory
mkdir $M/app/config                  # an opaque directory
ls -lR /var/lib/mountlab/c1/upper
