#!/bin/sh
# expect: failed 9
# feedback: host
# Wrong: the host's cache made read-only with the volume's (mount-setattr on the source tree's cache).
mkdir -p /mnt/vol
mount --rbind /srv/host /mnt/vol
mount-setattr -R --ro /mnt/vol
mount-setattr --ro /srv/host/cache
