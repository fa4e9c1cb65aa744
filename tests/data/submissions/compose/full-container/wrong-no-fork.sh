#!/bin/sh
# expect: failed 5
# Wrong: -p without -f: the shell is not in the new PID namespace (only its children would be),
# and no proc is mounted for it.
unshare -m -u -i -n -p sh -c '
  hostname box
  echo hostname=$(hostname)
  echo pid1=$(cat /proc/1/comm)
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
'
