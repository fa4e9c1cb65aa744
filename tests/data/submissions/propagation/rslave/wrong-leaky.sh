#!/bin/sh
# expect: failed 3
# Wrong: nothing changed: / is a peer and the tmpfs leaks.
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
