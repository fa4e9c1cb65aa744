#!/bin/sh
# expect: failed 8
# Wrong: no upperdir/workdir: a read-only overlay; the write fails.
C=/var/lib/mountlab/c1
mkdir -p $C/merged
mount -t overlay overlay -o lowerdir=/images/layers/app:/images/layers/tools:/images/layers/base $C/merged
echo hello > $C/merged/hello.txt
