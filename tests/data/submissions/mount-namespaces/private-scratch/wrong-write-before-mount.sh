#!/bin/sh
# expect: failed 5
# Wrong: the file is written before the mount, on the shared root filesystem, and hidden by it.
mkdir -p /scratch
echo hello > /scratch/hello.txt
mount -t tmpfs -o size=1m scratch /scratch
