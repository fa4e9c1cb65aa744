#!/bin/sh
# expect: failed 4
# feedback: past
# Wrong: the source taken from a fixed field (9), as if no mount had optional fields; the
# top mount on /srv/app/data is shared (shared:N), so field 9 is its filesystem type.
awk '$5 == "/srv/app/data" { line = $5 " " $9 " " $4 } END { print line }' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
