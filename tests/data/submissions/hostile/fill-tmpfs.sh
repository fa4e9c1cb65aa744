#!/bin/sh
# Fills every writable filesystem it can find: the lab's tmpfs are size-limited, files by RLIMIT_FSIZE.
dd if=/dev/zero of=/tmp/fill bs=1M count=4096
dd if=/dev/zero of=/fill bs=1M count=4096
i=0
while [ $i -lt 100000 ]; do : > /tmp/f$i || break; i=$((i + 1)); done
df /tmp /
echo ok > /tmp/ok
exit 1
