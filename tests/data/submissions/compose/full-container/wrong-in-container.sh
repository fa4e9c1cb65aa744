#!/bin/sh
# expect: failed 4
# Wrong: everything done in the container itself: the tmpfs is in the container's mount
# namespace and the hostname is the lab host's.
hostname box
echo hostname=$(hostname) pid=$$
echo pid1=$(cat /proc/1/comm)
ls -l /proc/self/ns
mkdir -p /mnt/box
mount -t tmpfs box /mnt/box
grep " /mnt/box " /proc/self/mountinfo
