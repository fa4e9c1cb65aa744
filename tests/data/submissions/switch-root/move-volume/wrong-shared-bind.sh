#!/bin/sh
# expect: failed 6
# feedback: shared
# Wrong: a bind under the shared / propagates to the lab host, and /mnt/a stays mounted.
set -e
mkdir -p /mnt/b
mount --bind /mnt/a /mnt/b
