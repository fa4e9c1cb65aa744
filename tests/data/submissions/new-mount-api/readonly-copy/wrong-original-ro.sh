#!/bin/sh
# expect: failed 6
# feedback: itself
# Wrong: the copy is attached writable and the originals are made read-only instead.
mkdir -p /srv/ro
newmount clone -R /srv/data /srv/ro
newmount setattr -R -r /srv/data
