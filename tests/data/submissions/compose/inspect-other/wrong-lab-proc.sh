#!/bin/sh
# expect: failed 2
# feedback: PID namespace
# Wrong: $! is a PID of the script's namespace, but /proc is the lab's: another process.
unshare -m sh -c 'mkdir -p /mnt/secret && mount -t tmpfs secret /mnt/secret && touch /tmp/ready && exec sleep 60' &
PID=$!
while [ ! -e /tmp/ready ]; do sleep 0.1; done
nsenter --target $PID --mount cat /proc/self/mountinfo > /tmp/theirs.txt
cat /proc/self/mountinfo > /tmp/mine.txt
