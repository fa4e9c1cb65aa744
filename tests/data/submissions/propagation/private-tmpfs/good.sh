#!/bin/sh
# expect: passed 10
# Reference: leave the lab host's peer groups first, then mount.
set -e
mount --make-rprivate /
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
