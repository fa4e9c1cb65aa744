#!/bin/sh
# expect: failed 7
# feedback: lowerdir
# Wrong: the layers listed bottom first; the first lowerdir is the top one.
set -e
C=/var/lib/mountlab/c1
mkdir -p $C/upper $C/work $C/merged
mount -t overlay overlay \
  -o lowerdir=/images/layers/base:/images/layers/tools:/images/layers/app,upperdir=$C/upper,workdir=$C/work \
  $C/merged
echo hello > $C/merged/hello.txt
