#!/bin/bash
# bash, not busybox sh: an array and [[ ]] (busybox sh: "syntax error: unexpected (").
set -u
files=(ok)
[[ ${files[0]} == ok ]] && echo ok > "/tmp/${files[0]}"
