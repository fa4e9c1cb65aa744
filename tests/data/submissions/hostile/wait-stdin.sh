#!/bin/sh
# Waits for input: stdin is empty (end of file at once), so it goes on.
read line
echo "read returned $? with '$line'"
cat
cat /dev/tty 2>&1
exit 1
