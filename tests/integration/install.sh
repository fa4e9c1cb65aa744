#!/bin/sh
# What `cmake --install` gives a user: the programs, the lessons where the installed
# engine finds them (not the source tree's), the .desktop file, its icon and the
# recording MIME type. Usage: install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }
for f in bin/mountlab bin/mountlab-cli share/applications/mountlab.desktop \
         share/icons/hicolor/scalable/apps/mountlab.svg share/mime/packages/mountlab-recording.xml \
         share/mountlab/lessons/README.md libexec/mountlab/mountlab-tracer \
         share/polkit-1/actions/org.mountlab.trace.policy; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
src=$(ls "$source/lessons"/*.yaml | wc -l)
inst=$(ls "$prefix/share/mountlab/lessons"/*.yaml | wc -l)
[ "$inst" -ge 1 ] && [ "$inst" -eq "$src" ] || fail "$inst lessons installed, the source has $src"
# The installed engine reads the installed lessons.
out=$(MOUNTLAB_LESSONS= "$prefix/bin/mountlab-cli" lessons 2>&1) || true
case "$out" in
  *"Lessons in $prefix/share/mountlab/lessons"*) ;;
  *) fail "the installed mountlab-cli does not read $prefix/share/mountlab/lessons: $(echo "$out" | head -1)" ;;
esac
grep -q '^MimeType=application/x-mountlab-recording;' "$prefix/share/applications/mountlab.desktop" || fail ".desktop has no recording MIME type"
grep -q 'type="application/x-mountlab-recording"' "$prefix/share/mime/packages/mountlab-recording.xml" || fail "the MIME type is not defined"
# The polkit action names the installed helper, the one program that runs as root.
grep -q "<annotate key=\"org.freedesktop.policykit.exec.path\">$prefix/libexec/mountlab/mountlab-tracer</annotate>" \
  "$prefix/share/polkit-1/actions/org.mountlab.trace.policy" || fail "the polkit action does not name the installed mountlab-tracer"
grep -q "MountLab needs to trace the system calls of its lab" "$prefix/share/polkit-1/actions/org.mountlab.trace.policy" \
  || fail "the polkit action does not say why"
echo "install: $inst lessons, programs, .desktop, icon, MIME type, tracer helper and its polkit action in place"
echo "1 passed, 0 failed"
