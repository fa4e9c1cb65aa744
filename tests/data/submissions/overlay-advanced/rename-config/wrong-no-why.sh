#!/bin/sh
# expect: failed 6
# feedback: EXDEV
# Wrong: the rename's effect, no explanation.
mv /var/lib/mountlab/c1/merged/app/config /var/lib/mountlab/c1/merged/app/config.old
