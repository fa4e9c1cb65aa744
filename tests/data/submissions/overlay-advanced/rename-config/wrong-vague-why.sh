#!/bin/sh
# expect: failed 7
# feedback: redirect_dir
# Wrong: names the error only ("another filesystem"), not the layers nor the option.
echo "EXDEV: the kernel thinks it is another filesystem." > /root/why.txt
mv /var/lib/mountlab/c1/merged/app/config /var/lib/mountlab/c1/merged/app/config.old
