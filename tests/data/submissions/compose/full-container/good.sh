#!/bin/sh
# expect: passed 10
# Reference: mount, UTS, IPC, net and PID namespaces, a proc of its own, hostname box.
unshare -m -u -i -n -p -f --mount-proc sh -c '
  hostname box
  echo hostname=$(hostname) pid=$$
  echo pid1=$(cat /proc/1/comm)
  ls -l /proc/self/ns
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
  grep " /mnt/box " /proc/self/mountinfo
'
