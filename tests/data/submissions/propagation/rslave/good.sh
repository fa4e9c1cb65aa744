#!/bin/sh
# expect: passed 10
# Reference: runc's default rootfsPropagation: receive from the host, send nothing.
set -e
mount --make-rslave /
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
