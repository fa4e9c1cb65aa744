#!/bin/sh
# expect: passed 10
# Reference: a proc for our PID namespace, so that $! is a /proc PID; then nsenter.
mount -t proc -o nosuid,nodev,noexec proc /proc
unshare -m sh -c 'mkdir -p /mnt/secret && mount -t tmpfs secret /mnt/secret && touch /tmp/ready && exec sleep 60' &
PID=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
nsenter --target $PID --mount cat /proc/self/mountinfo > /tmp/theirs.txt
cat /proc/self/mountinfo > /tmp/mine.txt
