#!/bin/sh
# expect: failed 2
# feedback: top
# Wrong: of the two mounts on /srv/app/data, the first listed is the one underneath (hidden).
awk '$5 == "/srv/app/data" { for (i = 7; $i != "-"; i++) ; print $5, $(i + 2), $4; exit }' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
