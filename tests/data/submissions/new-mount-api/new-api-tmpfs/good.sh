#!/bin/sh
# expect: passed 10
# Reference: size and source are the filesystem's (fsconfig), nosuid the mount's (fsmount).
set -e
mkdir -p /srv/scratch
newmount fsmount tmpfs -o size=2m,source=scratch --nosuid /srv/scratch
