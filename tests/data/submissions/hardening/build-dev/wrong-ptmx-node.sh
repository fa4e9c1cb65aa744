#!/bin/sh
# expect: failed 9
# feedback: symlink
# Wrong for this task: a bind of the instance's ptmx on /dev/ptmx works too (devpts.rst), but the task
# (as runc does) wants /dev/ptmx to lead to pts/ptmx by a symlink.
set -e
D=/mnt/rootfs/dev
mkdir -p $D
mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $D
for d in null zero full random urandom; do touch $D/$d; mount --bind /dev/$d $D/$d; done
mkdir $D/pts $D/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $D/pts
touch $D/ptmx
mount --bind $D/pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
