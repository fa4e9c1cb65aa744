#!/usr/bin/env python3
# Not a shell script: the lab has no python.
open("/tmp/ok", "w").write("ok\n")
