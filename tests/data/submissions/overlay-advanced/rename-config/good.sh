#!/bin/sh
# expect: passed 10
# Reference: say why, then let mv do the copy and delete that rename(2) leaves to it.
set -e
echo "rename(2) fails with EXDEV: app/config is a directory of a lower layer, which overlayfs does not move without redirect_dir=on (off with userxattr); mv copies it up and deletes the old name." > /root/why.txt
mv /var/lib/mountlab/c1/merged/app/config /var/lib/mountlab/c1/merged/app/config.old
