#!/bin/sh
# expect: passed 10
# Reference: a recursive detached copy, made read-only recursively before it is attached.
set -e
mkdir -p /srv/ro
newmount clone -R -r /srv/data /srv/ro
