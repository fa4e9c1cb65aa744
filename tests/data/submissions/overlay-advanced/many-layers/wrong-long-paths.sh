#!/bin/sh
# expect: failed 0
# feedback: page
# Wrong: the layers' own paths make 4383 bytes of options; the kernel reads 4095 of them.
B=/var/lib/mountlab/overlay2
L=$(for i in $(seq 1 45); do printf '%s/%064d/diff:' $B $i; done)
mount -t overlay overlay -o userxattr,lowerdir=${L%:} $B/merged
