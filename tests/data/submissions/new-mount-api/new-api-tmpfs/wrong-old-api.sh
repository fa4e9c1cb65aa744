#!/bin/sh
# expect: failed 5
# feedback: mount(2)
# Wrong: the right mount, made with mount(2): the trace shows no fsopen nor move_mount.
mkdir -p /srv/scratch
mount -t tmpfs -o size=2m,nosuid scratch /srv/scratch
