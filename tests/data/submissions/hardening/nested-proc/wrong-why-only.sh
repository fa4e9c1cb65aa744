#!/bin/sh
# expect: failed 4
# feedback: masks
# Wrong: the explanation is right, but nothing is changed, so the nested mount still fails.
echo "no proc is fully visible in the nested namespace: its masks are locked" > /tmp/why.txt
unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
