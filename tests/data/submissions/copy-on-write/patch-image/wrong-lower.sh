#!/bin/sh
# expect: failed 0
# Wrong: edits the image's layers directly (read-only, and shared by every container).
L=/images/layers
echo patched > $L/tools/etc/motd
rm $L/base/var/log/base.log
rm -r $L/app/app/config && mkdir $L/app/app/config
