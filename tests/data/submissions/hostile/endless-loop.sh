#!/bin/sh
# Never ends: stopped at the time limit (status timeout).
while :; do :; done
