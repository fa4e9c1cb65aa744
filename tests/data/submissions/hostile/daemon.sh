#!/bin/sh
# Leaves processes behind: they end with the script's PID namespace.
setsid sh -c 'while :; do sleep 1; done' > /dev/null 2>&1 &
nohup sleep 1000 > /dev/null 2>&1 &
exit 1
