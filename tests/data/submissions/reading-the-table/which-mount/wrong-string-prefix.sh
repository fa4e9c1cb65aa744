#!/bin/sh
# expect: failed 0
# feedback: prefix
# Wrong: a mount point that begins with the same letters is taken for a prefix of the path
# (/srv/app/database), and it is the longest.
awk '$5 ~ /^\/srv/ && length($5) > length(best) { best = $5; for (i = 7; $i != "-"; i++) ; line = $5 " " $(i + 2) " " $4 }
END { print line }' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
