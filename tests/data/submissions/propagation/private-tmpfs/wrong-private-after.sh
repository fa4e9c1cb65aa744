#!/bin/sh
# expect: failed 6
# Wrong: made private too late: the mount already propagated to the lab host.
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
mount --make-rprivate /
