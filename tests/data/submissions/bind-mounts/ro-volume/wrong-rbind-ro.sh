#!/bin/sh
# expect: failed 7
# feedback: hole
# Wrong: util-linux's mount remounts only the top mount read-only; /mnt/vol/cache stays writable.
mkdir -p /mnt/vol
/usr/bin/mount --rbind -o ro /srv/host /mnt/vol
