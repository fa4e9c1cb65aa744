#!/bin/sh
# expect: failed 4
# feedback: masks
# Wrong: the masks are inherited into the nested namespace locked: umount there fails (EINVAL),
# and the proc mount after it too.
echo "the masks are locked in the nested namespace, so no proc is fully visible" > /tmp/why.txt
unshare --user --map-root-user --mount --pid --fork sh -c 'umount /proc/keys /proc/timer_list /proc/acpi /proc/sys /proc/irq /proc/bus /proc/fs; mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
