#!/bin/sh
# expect: passed 10
# Also right: a slave is not shared either (runc's rslave root): the move is allowed, and
# nothing propagates from the container to the lab host.
set -e
mkdir -p /mnt/b
mount --make-rslave /
mount --move /mnt/a /mnt/b
