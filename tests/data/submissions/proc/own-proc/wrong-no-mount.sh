#!/bin/sh
# expect: failed 0
# Wrong: the inherited /proc is the lab's: PID 1 is the lab host.
cat /proc/1/comm > /tmp/init.txt
ps
