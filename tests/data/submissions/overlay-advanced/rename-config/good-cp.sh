#!/bin/sh
# expect: passed 10
# Also right: the copy and the delete by hand.
set -e
echo "EXDEV: the directory is in a lower layer; overlayfs renames it only with redirect_dir=on, so it must be copied." > /root/why.txt
cp -a /var/lib/mountlab/c1/merged/app/config /var/lib/mountlab/c1/merged/app/config.old
rm -r /var/lib/mountlab/c1/merged/app/config
