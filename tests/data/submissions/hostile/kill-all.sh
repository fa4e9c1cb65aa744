#!/bin/sh
# kill -9 -1 and more: the script is PID 1 of a PID namespace of its own; nothing else is visible to kill.
kill -9 -1
kill -9 $(pidof labhost container) 2>&1
kill -9 1
echo "still here"
exit 1
