#!/bin/sh
# build.sh — make the erpsync container image offline from Debian packages
# (design §12), with podman:
#   1. a Debian 12 root filesystem of runtime libraries only, made by
#      mmdebstrap from the host's own apt sources: the fixed list below plus
#      the package of every library `ldd` finds in the programs;
#   2. `podman import` of that tarball as erpsync-base:HASH (cached: made
#      again only when the package list changes);
#   3. `podman build` of deploy/image/Containerfile on top of it, in a
#      context holding only the three programs and erpsync-health — never
#      the source tree, .git, bin/ or build*/.
# Usage: deploy/image/build.sh BIN VERSION     (make image runs it)
# Tags erpsync:VERSION; prints the tag on stdout.
set -eu

BIN=${1:?usage: build.sh BIN VERSION}
VERSION=${2:?usage: build.sh BIN VERSION}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=$REPO/build/image
TAG=erpsync:$VERSION
PROGS="erpsyncd erpsync-worker erpsyncctl"
# Runtime only: no compiler, no -dev package, no apt in the final image.
BASE_PKGS="libevent-2.1-7 libsqlite3-0 libcurl3-gnutls libmsgpackc2 libxml2 libinih1
zlib1g ca-certificates"

say() { printf 'image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

command -v podman >/dev/null 2>&1 || die "podman is missing: run sh deploy/deps.sh image"
command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is missing: run sh deploy/deps.sh image"
for p in $PROGS; do
	[ -x "$BIN/$p" ] || die "$BIN/$p is missing: run make all"
done

# The Debian package of each library the programs load (the host is Debian
# 12 as the image is, so the versions they were built against match).
lib_pkgs() {
	for p in $PROGS; do ldd "$BIN/$p"; done |
	    awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | sort -u |
	    while read -r lib; do
		d=$(basename "$(dirname "$lib")")
		pkg=$(dpkg -S "*/$d/$(basename "$lib")" 2>/dev/null | head -n 1)
		[ -n "$pkg" ] || die "no Debian package holds $lib"
		echo "${pkg%%:*}"
	    done
}
pkgs=$( (echo "$BASE_PKGS" | tr ' ' '\n'; lib_pkgs) | grep . | sort -u | tr '\n' ' ')
# Documentation, manuals and translations are left out (copyright files
# are kept); the merged-usr hook makes the /usr symlinks itself, so the
# usrmerge package and the perl it needs stay out.
MMDEBSTRAP_OPTS="--quiet --variant=essential --mode=root --format=tar
 --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
 --aptopt=Acquire::Check-Valid-Until=false
 --dpkgopt=path-exclude=/usr/share/man/* --dpkgopt=path-exclude=/usr/share/info/*
 --dpkgopt=path-exclude=/usr/share/locale/* --dpkgopt=path-exclude=/usr/share/doc/*
 --dpkgopt=path-include=/usr/share/doc/*/copyright"
# The rootfs is made again only when the packages or the options change.
hash=$(printf '%s\n' "$pkgs" "$MMDEBSTRAP_OPTS" | sha256sum | cut -c1-12)
base=erpsync-base:$hash
mkdir -p "$WORK"

if ! podman image exists "$base"; then
	tarball=$WORK/rootfs-$hash.tar
	if [ ! -s "$tarball" ]; then
		# The host's apt sources, so the build needs no address of its own.
		mirrors=""
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		    /etc/apt/sources.list.d/*.sources; do
			[ -s "$f" ] && mirrors="$mirrors $f"
		done
		[ -n "$mirrors" ] || die "no apt sources on this host"
		say "mmdebstrap bookworm: $pkgs"
		set -f	# the path patterns are for dpkg, not the shell
		# shellcheck disable=SC2086
		mmdebstrap $MMDEBSTRAP_OPTS --include="$(echo $pkgs | tr ' ' ',')" \
		    bookworm "$tarball.tmp" $mirrors </dev/null >&2
		set +f
		mv "$tarball.tmp" "$tarball"
	fi
	say "podman import $tarball as $base"
	podman import "$tarball" "$base" >/dev/null
fi

# The build context: the programs, stripped of nothing (their debug info
# helps a core file), and the health check. Nothing else.
ctx=$WORK/context
rm -rf "$ctx"
mkdir -p "$ctx/usr/sbin" "$ctx/usr/bin"
install -m 755 "$BIN/erpsyncd" "$BIN/erpsync-worker" "$ctx/usr/sbin/"
install -m 755 "$BIN/erpsyncctl" "$HERE/erpsync-health" "$ctx/usr/bin/"
mkdir -p "$ctx/usr/share/doc/erpsync"
install -m 644 "$REPO/deploy/erpsync.conf.example" "$ctx/usr/share/doc/erpsync/"

old=$(podman image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)
say "podman build $TAG from $base"
# --format docker keeps the HEALTHCHECK (the OCI format has none).
podman build --quiet --format docker --runtime runc --network host \
    --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    --build-arg BASE="$base" --build-arg VERSION="$VERSION" \
    -f "$HERE/Containerfile" -t "$TAG" "$ctx" >/dev/null

# Every library resolves inside the image.
for p in /usr/sbin/erpsyncd /usr/sbin/erpsync-worker /usr/bin/erpsyncctl; do
	out=$(podman run --rm --runtime runc --network host \
	    --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --no-healthcheck --entrypoint ldd "$TAG" "$p") ||
		die "ldd $p failed in $TAG"
	case $out in *"not found"*) die "$p in $TAG: $out" ;; esac
done
# The image this one replaces, now untagged, goes (unless a container
# still uses it).
new=$(podman image inspect --format '{{.Id}}' "$TAG")
[ -n "$old" ] && [ "$old" != "$new" ] && podman rmi "$old" >/dev/null 2>&1 || true
echo "$TAG"
