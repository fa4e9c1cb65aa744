#!/bin/sh
# expect: failed 7
# feedback: mknod
# Wrong: mknod of a device is EPERM in a user namespace; the nodes are missing.
D=/mnt/rootfs/dev
mkdir -p $D
mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $D
mknod -m 666 $D/null c 1 3
mknod -m 666 $D/zero c 1 5
mknod -m 666 $D/full c 1 7
mknod -m 666 $D/random c 1 8
mknod -m 666 $D/urandom c 1 9
mkdir $D/pts $D/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts $D/pts
ln -s pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
