#!/bin/sh
# expect: failed 4
# feedback: read-only
# Wrong: the extra proc is read-only; in the nested copy its read-only flag is locked, and a
# read-write proc may not be mounted on the strength of a read-only one.
echo "no proc is fully visible in the nested namespace: its masks are locked" > /tmp/why.txt
mkdir -p /mnt/fullproc
mount -t proc -o ro proc /mnt/fullproc
unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
