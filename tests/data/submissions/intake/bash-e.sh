#!/bin/bash -e
# The shebang's option counts: under -e the script ends at `false`, /tmp/ok is never written.
false
echo ok > /tmp/ok
