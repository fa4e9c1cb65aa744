#!/bin/sh
# Writes the harmless letter h (help) to /proc/sysrq-trigger: denied in the sandbox's user
# namespace. Never any other letter.
echo h > /proc/sysrq-trigger
echo "sysrq write status: $?"
ls -l /proc/sysrq-trigger
exit 1
