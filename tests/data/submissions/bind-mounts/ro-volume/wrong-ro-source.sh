#!/bin/sh
# expect: failed 9
# feedback: host
# Wrong: the host's cache made read-only with the volume's (newmount setattr on the source tree's cache).
mkdir -p /mnt/vol
mount --rbind /srv/host /mnt/vol
newmount setattr -R -r /mnt/vol
newmount setattr -r /srv/host/cache
