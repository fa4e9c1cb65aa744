#!/bin/sh
# expect: failed 4
# feedback: overlay
# Wrong: a tmpfs on top is writable, but it hides the volume's files.
mount -t tmpfs tmpfs /srv/vol
echo "written in the container" > /srv/vol/notes.txt
