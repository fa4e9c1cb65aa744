#!/bin/sh
# The control: finishes at once and earns every point.
echo ok > /tmp/ok
