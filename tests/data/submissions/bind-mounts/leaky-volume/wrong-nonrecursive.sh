#!/bin/sh
# expect: failed 3
# feedback: recursive
# Wrong: the same non-recursive --make-private as the set-up: /srv stays shared, the new
# bind leaks again.
echo "/srv is shared" > /tmp/cause.txt
umount /srv/data
mount --make-private /
mount --bind /var/lib/mountlab/volume /srv/data
