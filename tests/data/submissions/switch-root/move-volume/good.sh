#!/bin/sh
# expect: passed 10
# Reference: /mnt/a resides under the shared /; make / private (every mount, as crun
# does), then move the tmpfs.
set -e
mkdir -p /mnt/b
mount --make-rprivate /
mount --move /mnt/a /mnt/b
