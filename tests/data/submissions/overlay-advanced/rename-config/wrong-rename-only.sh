#!/bin/sh
# expect: failed 4
# feedback: config.old
# Wrong: the explanation is right, but the rename is tried again and fails again.
echo "EXDEV: app/config is in a lower layer and redirect_dir is off." > /root/why.txt
rename.ul config config.old /var/lib/mountlab/c1/merged/app/config
