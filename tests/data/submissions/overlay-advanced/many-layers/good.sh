#!/bin/sh
# expect: passed 10
# Reference: the short links, as Docker's driver does: 45 x 55 bytes fit in a page.
set -e
B=/var/lib/mountlab/overlay2
S=$(for i in $(seq 1 45); do printf '%s/l/L%025d:' $B $i; done)
mount -t overlay overlay -o userxattr,lowerdir=${S%:} $B/merged
