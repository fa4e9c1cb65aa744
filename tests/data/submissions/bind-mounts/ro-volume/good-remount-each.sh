#!/bin/sh
# expect: passed 10
# Also right, with mount(2) only: a remount,bind,ro of each mount of the tree.
mkdir -p /mnt/vol
mount --rbind /srv/host /mnt/vol
mount -o remount,bind,ro /mnt/vol
mount -o remount,bind,ro /mnt/vol/cache
