#!/bin/sh
# expect: failed 2
# feedback: separator
# Wrong: assumes exactly one optional field, so type and source are taken from fields 9 and 10.
awk '$5 == "/mnt/mystery" { print $4, $9, $10, "shared" }' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
