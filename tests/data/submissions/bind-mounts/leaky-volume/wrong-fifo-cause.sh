#!/bin/sh
# expect: failed 7
# feedback: shared
# Wrong: the fix, but the cause is a FIFO fed by a writer in the background, not a file.
# A check reads a file: a named pipe is refused at once (the grader never waits on one).
mkfifo /tmp/cause.txt
(while :; do echo "/srv is still shared with the lab host: making / private was not recursive, so the bind propagated" > /tmp/cause.txt; done) &
umount /srv/data
mount --make-rprivate /
mount --bind /var/lib/mountlab/volume /srv/data
