#!/bin/sh
# expect: failed 4
# feedback: UTS
# Wrong: a mount namespace alone: hostname renames the lab host, /proc is the lab's.
unshare -m sh -c '
  hostname box
  echo hostname=$(hostname)
  echo pid1=$(cat /proc/1/comm)
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
'
