#!/bin/sh
# expect: passed 10
# Also right: rslave, as runc does: the container still receives the lab host's mounts but
# sends none back.
echo "the parent mount /srv is shared, a peer of the lab host's /srv, so the bind propagated" > /tmp/cause.txt
umount /srv/data
mount --make-rslave /
mount --bind /var/lib/mountlab/volume /srv/data
