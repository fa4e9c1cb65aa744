#!/bin/sh
# expect: failed 2
# feedback: top
# Wrong: df reports the mount underneath (oldfs), not the one stacked on top that holds the file.
df /srv/app/data/file.txt | awk 'NR == 2 { print $6, $1, "/" }' > /tmp/answer.txt
cat /tmp/answer.txt
