#!/bin/sh
# expect: failed 2
# Wrong: /proc/mounts has no root field (nor propagation): the bind mount's /data is lost.
awk '$2 == "/mnt/mystery" { print "/", $3, $1, "private" }' /proc/mounts > /tmp/answer.txt
cat /tmp/answer.txt
