#!/bin/sh
# expect: failed 8
# feedback: ptmxmode
# Wrong: without ptmxmode the instance's ptmx has mode 0000: nobody but root can open it.
set -e
D=/mnt/rootfs/dev
mkdir -p $D
mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $D
for d in null zero full random urandom; do touch $D/$d; mount --bind /dev/$d $D/$d; done
mkdir $D/pts $D/shm
mount -t devpts -o newinstance devpts $D/pts
ln -s pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
