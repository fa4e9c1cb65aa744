#!/bin/sh
# expect: passed 12
# Reference: the image's last layer first (top), its first layer last (bottom).
set -e
C=/var/lib/mountlab/c1
mkdir -p $C/upper $C/work $C/merged
mount -t overlay overlay \
  -o lowerdir=/images/layers/app:/images/layers/tools:/images/layers/base,upperdir=$C/upper,workdir=$C/work \
  $C/merged
echo hello > $C/merged/hello.txt
