#!/bin/sh
# expect: failed 0
# Hostile: a namespace "inode" of 200,000 digits (a regex over it recursed once per
# digit, and the number overflowed): graded like any wrong answer, nothing crashes.
printf 'mnt:['; head -c 200000 /dev/zero | tr '\0' 9; echo ']'
printf 'uts:[99999999999999999999999]\n'
