#!/bin/sh
# expect: failed 2
# feedback: chroot
# Wrong: chroot changes the root of one process, not the mount namespace's; it can be escaped.
chroot /var/lib/mountlab/c1/merged cat /etc/os-release
