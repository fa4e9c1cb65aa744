#!/bin/sh
# expect: failed 5
# feedback: IPC
# Wrong: mount, UTS and PID namespaces only: the shell still shares the lab's IPC and
# network namespaces, which the task asks for too.
unshare -m -u -p -f --mount-proc sh -c '
  hostname box
  echo hostname=$(hostname) pid=$$
  echo pid1=$(cat /proc/1/comm)
  ls -l /proc/self/ns
  mkdir -p /mnt/box
  mount -t tmpfs box /mnt/box
  grep " /mnt/box " /proc/self/mountinfo
'
