#!/bin/sh
# expect: failed 4
# feedback: overlay
# Wrong: copying the volume into a tmpfs works here, but the task rules it out (a volume may be large).
cp -a /srv/vol /tmp/vol-copy
mount -t tmpfs tmpfs /srv/vol
cp -a /tmp/vol-copy/. /srv/vol/
echo "written in the container" > /srv/vol/notes.txt
