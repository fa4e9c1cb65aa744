#!/bin/sh
# expect: passed 10
# Also right: attach the recursive copy, then make that tree read-only with AT_RECURSIVE.
set -e
mkdir -p /srv/ro
newmount clone -R /srv/data /srv/ro
newmount setattr -R -r /srv/ro
