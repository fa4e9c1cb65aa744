#!/bin/sh
# expect: failed 0
# feedback: shared
# Wrong: the parent of /mnt/a (/) is shared: mount --move fails with EINVAL.
mkdir -p /mnt/b
mount --move /mnt/a /mnt/b
