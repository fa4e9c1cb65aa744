#!/bin/sh
# expect: passed 10
# Reference: the longest mount point that is a path prefix (/srv/app/data/, not /srv/app/database);
# of several mounts on it, the last listed, stacked on top (>= keeps the later one).
awk -v path=/srv/app/data/file.txt '{
  mp = ($5 == "/") ? "/" : $5 "/"
  if (index(path, mp) == 1 && length(mp) >= length(best)) {
    for (i = 7; $i != "-"; i++) ;
    best = mp; line = $5 " " $(i + 2) " " $4
  }
} END { print line }' /proc/self/mountinfo > /tmp/answer.txt
cat /tmp/answer.txt
