#!/bin/sh
# expect: failed 8
# feedback: nosuid
# Wrong: the tmpfs is there, but not nosuid.
mkdir -p /srv/scratch
newmount fsmount tmpfs -o size=2m,source=scratch /srv/scratch
