#!/bin/sh
# deps.sh: installs what loghunt needs to build and test, if it is missing.
# On Debian/Ubuntu as root it runs apt-get; otherwise it says what to install.
set -e
PKGS="build-essential pkg-config libarchive-dev libjson-c-dev libzstd-dev zlib1g-dev
libsystemd-dev liblzma-dev libbz2-dev libisal-dev libcriterion-dev mandoc zstd xz-utils bzip2 lz4 zip libarchive-tools
systemd-journal-remote python3 clang libclang-rt-14-dev parallel rsync openssh-server"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: please install:$missing" >&2
	echo "      (sudo apt-get install$missing)" >&2
	exit 1
fi
