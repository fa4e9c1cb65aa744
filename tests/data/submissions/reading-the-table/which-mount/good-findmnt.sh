#!/bin/sh
# expect: passed 10
# Also right: findmnt -T (--target) lists the mounts on the mount point of the path, in the
# order of mountinfo: the last is on top. Its SOURCE says storefs[/v1] for a bind: drop the [...].
findmnt -n -o TARGET,SOURCE,FSROOT -T /srv/app/data/file.txt | tail -n 1 | awk '{ sub(/\[.*\]/, "", $2); print $1, $2, $3 }' > /tmp/answer.txt
cat /tmp/answer.txt
