#!/bin/sh
# Security review M5: root of the lab's user namespace mounts a tmpfs of its own, far
# larger than the scratch tmpfs, and fills it. tmpfs pages escape RLIMIT_AS and
# RLIMIT_FSIZE (16 MiB per file here); only a memory cgroup (or the watchdog) bounds them.
mkdir -p /mnt/big
mount -t tmpfs -o size=4g big /mnt/big && echo "mounted a 4g tmpfs"
i=0
while [ $i -lt 64 ]; do
    dd if=/dev/zero of=/mnt/big/f$i bs=1M count=15 2>/dev/null || echo "write $i failed: $?"
    i=$((i + 1))
done
echo "wrote 64 files of 15 MiB"
df -m /mnt/big
