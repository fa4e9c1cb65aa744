#!/bin/sh
# expect: failed 3
# feedback: unshare
# Wrong (the cause is right): the fix and the pivot happen in a new mount namespace that lives as long as the
# command unshare runs; the container's own namespace is left as it was.
R=/var/lib/mountlab/c1/merged
echo /var/lib/mountlab > $R/root/cause
unshare --mount --propagation private sh -c "cd $R && pivot_root . . && busybox umount -l ."
