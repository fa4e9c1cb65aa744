#!/bin/sh
# expect: failed 2
# Wrong: no tmpfs; the file lands on the root filesystem the lab host shares.
mkdir -p /scratch
echo hello > /scratch/hello.txt
