#!/bin/sh
# Installs the Debian 12 packages MountLab needs that are missing, and nothing else.
# The last two lines are the lab's userland (core/lab/userland.cpp lists the same).
# Quick when everything is there: one dpkg-query, no apt-get.
set -eu

PACKAGES="
  build-essential cmake ninja-build pkg-config git
  clang clang-format clang-tidy llvm libclang-rt-14-dev libbpf-dev bpftool libelf-dev zlib1g-dev
  libmount-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  qt6-base-dev qt6-base-dev-tools libqt6svg6-dev libgl-dev
  python3 pkexec
  busybox-static bash util-linux mount coreutils procps attr iproute2 strace ncurses-base
  findutils grep sed
"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *" installed") ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -z "$missing" ]; then
  exit 0
fi

echo "setup: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup: run as root (or install sudo) to install:$missing" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
