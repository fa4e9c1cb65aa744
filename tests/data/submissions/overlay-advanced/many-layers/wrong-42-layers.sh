#!/bin/sh
# expect: failed 7
# feedback: layer45
# Wrong: only the 42 layers whose full paths fit in a page.
B=/var/lib/mountlab/overlay2
L=$(for i in $(seq 1 42); do printf '%s/%064d/diff:' $B $i; done)
mount -t overlay overlay -o userxattr,lowerdir=${L%:} $B/merged
