#!/bin/sh
# expect: failed 6
# Wrong: private cuts both directions: the container no longer receives the host's mounts.
set -e
mount --make-rprivate /
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
