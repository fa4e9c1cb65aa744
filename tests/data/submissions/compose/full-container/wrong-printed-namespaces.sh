#!/bin/sh
# expect: failed 5
# Wrong: nothing is unshared; the script prints what a real answer would print, with
# made-up namespace numbers in the kernel's range. The trace saw no call that made them.
mkdir -p /mnt/box
mount -t tmpfs box /mnt/box
echo hostname=box pid=1
echo pid1=sh
echo 'lrwxrwxrwx 1 root root 0 Dec  1 12:00 ipc -> ipc:[4026532901]'
echo 'lrwxrwxrwx 1 root root 0 Dec  1 12:00 mnt -> mnt:[4026532902]'
echo 'lrwxrwxrwx 1 root root 0 Dec  1 12:00 net -> net:[4026532903]'
echo 'lrwxrwxrwx 1 root root 0 Dec  1 12:00 uts -> uts:[4026532904]'
grep " /mnt/box " /proc/self/mountinfo
