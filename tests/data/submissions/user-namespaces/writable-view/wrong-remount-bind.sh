#!/bin/sh
# expect: failed 0
# feedback: locked
# Wrong: a bind remount changes the mount's flags only, but ro is locked there too: EPERM.
mount -o remount,bind,rw /srv/vol
echo "written in the container" > /srv/vol/notes.txt
