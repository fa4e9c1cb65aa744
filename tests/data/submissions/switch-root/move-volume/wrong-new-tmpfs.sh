#!/bin/sh
# expect: failed 6
# feedback: empty
# Wrong: a new tmpfs of the same name is another filesystem, empty; and /mnt/a stays.
set -e
mkdir -p /mnt/b
mount --make-rprivate /
mount -t tmpfs moving /mnt/b
