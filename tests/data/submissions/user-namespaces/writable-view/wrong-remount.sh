#!/bin/sh
# expect: failed 0
# feedback: locked
# Wrong: the inherited read-only flag is locked: the remount is EPERM, the write EROFS.
mount -o remount,rw /srv/vol
echo "written in the container" > /srv/vol/notes.txt
