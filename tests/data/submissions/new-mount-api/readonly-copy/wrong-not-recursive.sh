#!/bin/sh
# expect: failed 5
# feedback: AT_RECURSIVE
# Wrong: without -R open_tree copies the one mount on /srv/data: no cache in the copy.
mkdir -p /srv/ro
newmount clone -r /srv/data /srv/ro
