#!/bin/sh
# expect: failed 4
# feedback: leaked
# Wrong: / is still a peer of the lab host's: the tmpfs leaks.
mkdir -p /mnt/data
mount -t tmpfs data /mnt/data
