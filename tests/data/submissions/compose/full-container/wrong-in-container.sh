#!/bin/sh
# expect: failed 2
# Wrong: everything done in the container itself: the tmpfs is in the container's mount
# namespace and the hostname is the lab host's.
hostname box
echo hostname=$(hostname)
echo pid1=$(cat /proc/1/comm)
mkdir -p /mnt/box
mount -t tmpfs box /mnt/box
