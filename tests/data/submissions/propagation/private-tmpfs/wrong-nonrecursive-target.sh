#!/bin/sh
# expect: failed 4
# Wrong: makes only the new mount private; / stays shared, and the mount was already copied.
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
mount --make-private /mnt/data
