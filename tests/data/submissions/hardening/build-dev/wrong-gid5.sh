#!/bin/sh
# expect: failed 8
# feedback: gid=5
# Wrong: runc's default devpts options; gid 5 is not mapped in the lab's user namespace: EINVAL.
D=/mnt/rootfs/dev
mkdir -p $D
mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs $D
for d in null zero full random urandom; do touch $D/$d; mount --bind /dev/$d $D/$d; done
mkdir $D/pts $D/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts $D/pts
ln -s pts/ptmx $D/ptmx
mount -t tmpfs -o nosuid,nodev,noexec,mode=1777,size=65536k shm $D/shm
