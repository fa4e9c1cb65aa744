#!/bin/sh
# expect: failed 0
# Wrong: a bind mount of one layer is not a merged view of the image (and it is read-only).
C=/var/lib/mountlab/c1
mkdir -p $C/merged
mount --bind /images/layers/app $C/merged
echo hello > $C/merged/hello.txt
