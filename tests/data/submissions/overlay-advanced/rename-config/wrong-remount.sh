#!/bin/sh
# expect: failed 4
# feedback: config.old
# Wrong: remounting with redirect_dir=on is refused with userxattr (EINVAL), and nothing is renamed.
echo "EXDEV: app/config is in a lower layer; redirect_dir=on would let overlayfs rename it." > /root/why.txt
mount -t overlay overlay -o lowerdir=/images/layers/app:/images/layers/tools:/images/layers/base,upperdir=/var/lib/mountlab/c1/upper,workdir=/var/lib/mountlab/c1/work,userxattr,redirect_dir=on /var/lib/mountlab/c1/merged
rename.ul config config.old /var/lib/mountlab/c1/merged/app/config
