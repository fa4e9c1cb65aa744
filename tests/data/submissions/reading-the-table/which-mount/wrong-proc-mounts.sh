#!/bin/sh
# expect: failed 4
# feedback: root
# Wrong: /proc/mounts has no root field: the bind mount of /v1 looks like a whole filesystem.
awk '$2 == "/srv/app/data" { line = $2 " " $1 " /" } END { print line }' /proc/mounts > /tmp/answer.txt
cat /tmp/answer.txt
