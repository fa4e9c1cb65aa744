#!/bin/sh
# expect: failed 0
# Wrong: the tmpfs is mounted in a namespace of its own that dies with `unshare`'s command.
mkdir -p /scratch
unshare -m sh -c 'mount -t tmpfs -o size=1m scratch /scratch && echo hello > /scratch/hello.txt'
