#!/bin/sh
# expect: failed 3
# feedback: volume
# Wrong: the leak is gone, but so is the volume.
echo "/srv is shared" > /tmp/cause.txt
umount /srv/data
mount --make-rprivate /
