#!/usr/bin/env bash
# Through env, as portable scripts say it.
declare -A seen=([ok]=1)
for f in "${!seen[@]}"; do echo ok > "/tmp/$f"; done
