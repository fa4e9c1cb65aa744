#!/bin/sh
# A fork bomb: bounded by RLIMIT_NPROC (one outside UID per sandbox) and the wall-time limit.
bomb() { bomb | bomb & }
bomb
while :; do bomb 2>/dev/null; done
