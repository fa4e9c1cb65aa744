#!/bin/sh
# expect: failed 8
# feedback: bind
# Wrong: a bind makes a second mount of the same tmpfs; /mnt/a stays mounted.
set -e
mkdir -p /mnt/b
mount --make-rprivate /
mount --bind /mnt/a /mnt/b
