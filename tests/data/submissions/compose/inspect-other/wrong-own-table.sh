#!/bin/sh
# expect: failed 2
# Wrong: reads its own namespace's table twice: the other namespace's tmpfs is not in it.
unshare -m sh -c 'mkdir -p /mnt/secret && mount -t tmpfs secret /mnt/secret && touch /tmp/ready && exec sleep 60' &
while [ ! -e /tmp/ready ]; do sleep 0.1; done
cat /proc/self/mountinfo > /tmp/theirs.txt
cat /proc/self/mountinfo > /tmp/mine.txt
