#!/bin/sh
# expect: passed 10
# Reference: an overlay on the volume's own directory, its upper layer on /tmp.
set -e
mkdir -p /tmp/vol/upper /tmp/vol/work
mount -t overlay overlay -o lowerdir=/srv/vol,upperdir=/tmp/vol/upper,workdir=/tmp/vol/work,userxattr /srv/vol
echo "written in the container" > /srv/vol/notes.txt
