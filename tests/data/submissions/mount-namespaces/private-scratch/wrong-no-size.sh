#!/bin/sh
# expect: failed 8
# Wrong: a tmpfs without a size limit.
mkdir -p /scratch
mount -t tmpfs scratch /scratch
echo hello > /scratch/hello.txt
