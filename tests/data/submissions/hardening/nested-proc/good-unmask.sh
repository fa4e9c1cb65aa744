#!/bin/sh
# expect: passed 10
# Reference, the other way: take every mount off the container's /proc (the masks are gone with them).
echo "the masks and read-only binds cover parts of /proc; copied for the new user namespace they are locked, so /proc is not fully visible and mount_too_revealing refuses a new proc" > /tmp/why.txt
umount /proc/keys /proc/timer_list /proc/acpi /proc/sys /proc/irq /proc/bus /proc/fs
unshare --user --map-root-user --mount --pid --fork sh -c 'mount -t proc proc /mnt/proc && ls /mnt/proc/self/ns'
