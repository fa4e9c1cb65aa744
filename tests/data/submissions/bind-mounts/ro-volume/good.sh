#!/bin/sh
# expect: passed 10
# Reference: the whole tree bound, then one mount_setattr(AT_RECURSIVE) makes every mount of it read-only.
mkdir -p /mnt/vol
mount --rbind /srv/host /mnt/vol
newmount setattr -R -r /mnt/vol
