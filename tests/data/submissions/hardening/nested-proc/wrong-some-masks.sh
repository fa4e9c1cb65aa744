#!/bin/sh
# expect: failed 2
# feedback: locked
# Wrong: only the /dev/null masks are taken off; the read-only tmpfs on /proc/acpi and the
# read-only binds still cover parts of /proc, so it is still not fully visible.
echo "the /dev/null masks hide files of /proc, so it is not fully visible" > /tmp/why.txt
umount /proc/keys /proc/timer_list
unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
