#!/bin/sh
# expect: passed 10
# Reference: a proc mounted from inside the PID namespace shows that namespace only.
set -e
mount -t proc -o nosuid,nodev,noexec proc /proc
cat /proc/1/comm > /tmp/init.txt
ps
