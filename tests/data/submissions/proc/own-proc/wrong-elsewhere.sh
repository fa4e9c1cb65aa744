#!/bin/sh
# expect: failed 4
# Wrong: a new proc, but on another directory: ps and /proc still show the lab.
mkdir -p /mnt/proc
mount -t proc -o nosuid,nodev,noexec proc /mnt/proc
cat /mnt/proc/1/comm > /tmp/init.txt
ps
