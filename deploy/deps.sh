#!/bin/sh
# Install the Debian packages erpsync needs to build and test, when missing.
# Usage: deploy/deps.sh         (as root, or with sudo available)
#        deploy/deps.sh fuzz    also clang and its libFuzzer runtime, for
#                               `make fuzz` (never needed by `make check`)
#        deploy/deps.sh image   also podman, runc and mmdebstrap, for
#                               `make image` and `make check-container`
set -eu

# libcurl's GnuTLS flavour: Debian's libcurl loads GnuTLS anyway (through
# libldap and librtmp), so the worker no longer maps OpenSSL's libssl too
# (0.9 MB less resident, bench/b_cpu.sh). libcurl4-openssl-dev, if there,
# is replaced: the two conflict.
pkgs="build-essential pkg-config libevent-dev libsqlite3-dev libcurl4-gnutls-dev
libmsgpack-dev libxml2-dev libinih-dev libssl-dev zlib1g-dev check sqlite3 curl python3 procps
util-linux openssl tmux python3-yaml python3-prometheus-client groff-base man-db"
case ${1:-} in
'') ;;
# The runtime is only a Recommends of clang: name it.
fuzz) pkgs="$pkgs clang libclang-rt-14-dev" ;;
# podman depends on "crun | runc": naming runc keeps crun out (crun refuses
# to start containers on these cgroup v1 hosts; design §12).
image) pkgs="$pkgs podman runc mmdebstrap" ;;
*) echo "usage: deploy/deps.sh [fuzz|image]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps.sh: need root (or sudo) to install:$missing" >&2
		exit 1
	}
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
