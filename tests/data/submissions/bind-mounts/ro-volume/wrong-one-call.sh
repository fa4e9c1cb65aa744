#!/bin/sh
# expect: failed 2
# feedback: MS_RDONLY
# Wrong: the script's sh is busybox's, and its mount applet asks for read-only in the bind
# call itself (MS_BIND|MS_REC|MS_RDONLY), which the kernel ignores: nothing is read-only.
mkdir -p /mnt/vol
mount -o rbind,ro /srv/host /mnt/vol
