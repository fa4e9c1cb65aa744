#!/bin/sh
# expect: failed 6
# feedback: masks
# Wrong: prints what the nested proc would show without making the mount possible.
echo "mount_too_revealing wants a fully visible proc; the masks are locked in the copy" > /tmp/why.txt
echo pid_for_children
