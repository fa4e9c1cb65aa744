#!/bin/sh
# expect: failed 7
# feedback: still
# Wrong: a copy, and the old name is left in place.
echo "EXDEV: app/config is in a lower layer and redirect_dir is off." > /root/why.txt
cp -a /var/lib/mountlab/c1/merged/app/config /var/lib/mountlab/c1/merged/app/config.old
