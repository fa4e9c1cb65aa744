#!/bin/sh
# expect: failed 0
# feedback: overlay
# Wrong: the writable view is mounted on /mnt/vol; the program writes into /srv/vol, still read-only.
mkdir -p /tmp/vol/upper /tmp/vol/work /mnt/vol
mount -t overlay overlay -o lowerdir=/srv/vol,upperdir=/tmp/vol/upper,workdir=/tmp/vol/work,userxattr /mnt/vol
echo "written in the container" > /mnt/vol/notes.txt
