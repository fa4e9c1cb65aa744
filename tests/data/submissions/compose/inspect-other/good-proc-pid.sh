#!/bin/sh
# expect: passed 10
# Reference, the mountlab-cli tree --pid way: read /proc/PID/mountinfo without entering.
mount -t proc -o nosuid,nodev,noexec proc /proc
unshare -m sh -c 'mkdir -p /mnt/secret && mount -t tmpfs secret /mnt/secret && touch /tmp/ready && exec sleep 60' &
PID=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
cat /proc/$PID/mountinfo > /tmp/theirs.txt
cat /proc/self/mountinfo > /tmp/mine.txt
