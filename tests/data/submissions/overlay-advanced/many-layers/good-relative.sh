#!/bin/sh
# expect: passed 10
# Also right: Docker's fallback, relative paths from the driver's directory.
set -e
cd /var/lib/mountlab/overlay2
S=$(for i in $(seq 1 45); do printf 'l/L%025d:' $i; done)
mount -t overlay overlay -o userxattr,lowerdir=${S%:} merged
