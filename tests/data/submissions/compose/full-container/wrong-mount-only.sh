#!/bin/sh
# expect: failed 3
# feedback: UTS
# Wrong: a mount namespace alone: hostname renames the lab host, /proc is the lab's.
unshare -m sh -c '
  hostname box
  echo hostname=$(hostname) pid=$$
  echo pid1=$(cat /proc/1/comm)
  ls -l /proc/self/ns
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
  grep " /mnt/box " /proc/self/mountinfo
'
