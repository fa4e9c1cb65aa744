#!/bin/sh
# expect: passed 10
# Reference: /srv is still shared (mount --make-private / is not recursive): unmount the
# leaked bind while the umount still propagates, make the whole tree private, bind again.
echo "/srv is still shared with the lab host (shared:N in both tables): making / private was not recursive, so the bind on /srv/data propagated" > /tmp/cause.txt
umount /srv/data
mount --make-rprivate /
mount --bind /var/lib/mountlab/volume /srv/data
