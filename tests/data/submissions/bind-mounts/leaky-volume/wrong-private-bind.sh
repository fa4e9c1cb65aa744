#!/bin/sh
# expect: failed 3
# feedback: shared
# Wrong: only the volume's own mount is made private; /srv, its parent, still propagates
# every new mount under it to the lab host.
echo "the bind was shared" > /tmp/cause.txt
umount /srv/data
mount --bind /var/lib/mountlab/volume /srv/data
mount --make-private /srv/data
