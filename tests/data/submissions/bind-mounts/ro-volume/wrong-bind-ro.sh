#!/bin/sh
# expect: failed 5
# feedback: MS_REC
# Wrong: a bind without MS_REC leaves the cache out of the volume.
mkdir -p /mnt/vol
/usr/bin/mount -o bind,ro /srv/host /mnt/vol
