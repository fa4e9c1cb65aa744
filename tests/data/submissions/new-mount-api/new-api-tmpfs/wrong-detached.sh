#!/bin/sh
# expect: failed 2
# feedback: detached
# Wrong: no target: the mount fsmount made stays detached and is freed when the program exits.
newmount fsmount tmpfs -o size=2m,source=scratch --nosuid
