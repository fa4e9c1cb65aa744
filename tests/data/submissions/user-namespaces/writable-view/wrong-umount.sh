#!/bin/sh
# expect: failed 0
# feedback: EINVAL
# Wrong: the volume is locked to its parent in this namespace: umount is EINVAL, and /srv/vol
# stays the read-only volume.
umount /srv/vol
echo "written in the container" > /srv/vol/notes.txt
