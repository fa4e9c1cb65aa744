#!/bin/sh
# expect: passed 10
# Also right: with no upperdir nothing is written, and the overlay mounts without userxattr.
set -e
B=/var/lib/mountlab/overlay2
S=$(for i in $(seq 1 45); do printf '%s/l/L%025d:' $B $i; done)
mount -t overlay overlay -o lowerdir=${S%:} $B/merged
