#!/bin/sh
# expect: passed 10
# Reference: one more proc, with nothing mounted on it, makes the nested mount allowed.
echo "In a user namespace other than the first, mount_too_revealing() allows a new proc only if the mount namespace already has a fully visible one. The nested namespace's copy of the table has every mask on /proc locked, so no proc there is fully visible: EPERM." > /tmp/why.txt
mkdir -p /mnt/fullproc
mount -t proc proc /mnt/fullproc
unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
