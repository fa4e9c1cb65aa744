#!/bin/sh
# expect: passed 10
# Reference: runc's /dev in a user namespace: bound device nodes, devpts without gid=5.
set -e
D=/mnt/rootfs/dev
mkdir -p $D
mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $D
for d in null zero full random urandom; do touch $D/$d; mount --bind /dev/$d $D/$d; done
mkdir $D/pts $D/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $D/pts
ln -s pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
