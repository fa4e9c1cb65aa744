#!/bin/sh
# expect: passed 10
# Reference: the container already has a private mount namespace; mount directly.
set -e
mkdir -p /scratch
mount -t tmpfs -o size=1m scratch /scratch
echo hello > /scratch/hello.txt
