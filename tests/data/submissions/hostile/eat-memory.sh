#!/bin/sh
# Allocates all the memory it can: bounded by RLIMIT_AS.
awk 'BEGIN { s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; while (1) s = s s }'
x=$(head -c 2000000000 /dev/zero | tr '\0' x)
echo "${#x}"
exit 1
