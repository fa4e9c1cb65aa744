#!/bin/sh
# expect: failed 7
# feedback: AT_RECURSIVE
# Wrong: mount(2)'s rbind and one read-only remount: the remount changes one mount, and
# neither open_tree nor mount_setattr was called.
mkdir -p /srv/ro
mount --rbind /srv/data /srv/ro
mount -o remount,bind,ro /srv/ro
