#!/bin/sh
# expect: failed 7
# feedback: mountinfo
# Wrong: the tmpfs's line taken from /proc/mounts, which is not /proc/self/mountinfo (no
# root field, no propagation, no mount IDs), though the task asks for the mountinfo line.
unshare -m -u -i -n -p -f --mount-proc sh -c '
  hostname box
  echo hostname=$(hostname) pid=$$
  echo pid1=$(cat /proc/1/comm)
  ls -l /proc/self/ns
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
  grep " /mnt/box " /proc/mounts
'
