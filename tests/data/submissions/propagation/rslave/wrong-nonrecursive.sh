#!/bin/sh
# expect: failed 6
# feedback: --make-slave
# Wrong: --make-slave / changes / alone: the container's other mounts stay peers of the
# lab host's, though the task asks for every mount to be a slave.
set -e
mount --make-slave /
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
