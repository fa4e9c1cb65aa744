#!/bin/sh
# expect: failed 8
# feedback: tmpfs
# Wrong: everything is right but the tmpfs: /dev is a directory of the image.
set -e
D=/mnt/rootfs/dev
mkdir -p $D
for d in null zero full random urandom; do touch $D/$d; mount --bind /dev/$d $D/$d; done
mkdir $D/pts $D/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $D/pts
ln -s pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
