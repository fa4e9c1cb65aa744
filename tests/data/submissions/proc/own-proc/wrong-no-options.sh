#!/bin/sh
# expect: failed 8
# Wrong: a proc without nosuid,nodev,noexec.
mount -t proc proc /proc
cat /proc/1/comm > /tmp/init.txt
ps
