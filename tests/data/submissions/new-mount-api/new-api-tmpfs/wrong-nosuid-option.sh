#!/bin/sh
# expect: failed 2
# feedback: attribute
# Wrong: nosuid given to fsconfig as a filesystem option: tmpfs does not know it, fsconfig
# fails with EINVAL and nothing is mounted.
mkdir -p /srv/scratch
newmount fsmount tmpfs -o size=2m,source=scratch,nosuid /srv/scratch
