#!/bin/sh
# expect: failed 6
# feedback: already
# Wrong: making the tree private stops the next leak, not the one already in the lab host,
# and the umount after it no longer propagates.
echo "/srv is shared" > /tmp/cause.txt
mount --make-rprivate /
umount /srv/data
mount --bind /var/lib/mountlab/volume /srv/data
