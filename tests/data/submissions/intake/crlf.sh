#!/bin/sh
# Saved by a Windows editor: every line ends in CR LF.
cd /tmp
echo ok > ok
