#!/bin/sh
# expect: failed 7
# feedback: shared
# Wrong: the fix without the diagnosis.
umount /srv/data
mount --make-rprivate /
mount --bind /var/lib/mountlab/volume /srv/data
