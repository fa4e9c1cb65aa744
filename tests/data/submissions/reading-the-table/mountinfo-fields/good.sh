#!/bin/sh
# expect: passed 10
# Reference: parse up to the "-" separator; never count fields by position after field 6.
awk '$5 == "/mnt/mystery" {
  prop = "private"; shared = 0; slave = 0
  for (i = 7; $i != "-"; i++) {
    if ($i ~ /^shared:/) shared = 1
    if ($i ~ /^master:/) slave = 1
  }
  if (shared && slave) prop = "shared,slave"; else if (shared) prop = "shared"; else if (slave) prop = "slave"
  print $4, $(i + 1), $(i + 2), prop
}' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
