#!/bin/sh
# expect: failed 0
# Wrong: -p without -f: the shell is not in the new PID namespace (only its children would be),
# and no proc is mounted for it.
unshare -m -u -i -n -p sh -c '
  hostname box
  echo hostname=$(hostname) pid=$$
  echo pid1=$(cat /proc/1/comm)
  ls -l /proc/self/ns
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
  grep " /mnt/box " /proc/self/mountinfo
'
