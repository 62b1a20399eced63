#!/usr/bin/env bash
# Builds trafficinator's container image FROM scratch: the single executable and only the shared
# libraries it loads (as `ldd` lists them, with the dynamic loader), run as the non-root user 65532.
# Nothing comes from a registry. See deploy/container/Containerfile and docs/distributed.md.
#
#   scripts/build-image.sh                  build localhost/trafficinator:<version>
#   IMAGE=registry.example/t:1 scripts/build-image.sh
#   BIN=path/to/trafficinator scripts/build-image.sh   package that binary (default dist/trafficinator,
#                                                       built with `npm run build:bin` when missing)
#   BUILDER=buildah|podman                  the tool (default: buildah when installed, else podman)
#
# Needs buildah or podman (Debian: apt-get install -y buildah podman). Where containers run without
# systemd (CI machines, containers in containers), BUILD_FLAGS passes what the host needs, e.g.
#   BUILD_FLAGS="--isolation chroot" or STORAGE_DRIVER=vfs (see docs/distributed.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VERSION=$(node -p 'require("./package.json").version')
IMAGE=${IMAGE:-localhost/trafficinator:$VERSION}
BIN=${BIN:-dist/trafficinator}
CONTEXT=build/image-context
ROOTFS=$CONTEXT/rootfs

fail() { echo "build-image: $*" >&2; exit 1; }

if [ ! -x "$BIN" ]; then
  [ "$BIN" = dist/trafficinator ] || fail "$BIN is not an executable"
  npm run build:bin
fi
[ "$(uname -s)" = Linux ] || fail "the image holds a Linux binary and its libraries: build it on Linux"
echo "build-image: packaging $("$BIN" --version)" >&2

rm -rf "$CONTEXT"
mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/etc" "$ROOTFS/tmp"
cp "$BIN" "$ROOTFS/usr/local/bin/trafficinator"
chmod 0755 "$ROOTFS/usr/local/bin/trafficinator"
chmod 1777 "$ROOTFS/tmp"

# The libraries, each at the path the loader found it (so its default search finds it again),
# and the loader at the path the ELF header names. vdso is the kernel's: no file.
LIBS=$(ldd "$BIN")
if grep -q 'not found' <<<"$LIBS"; then fail "ldd cannot resolve every library of $BIN:"$'\n'"$LIBS"; fi
while read -r path; do
  mkdir -p "$ROOTFS$(dirname "$path")"
  cp -L "$path" "$ROOTFS$path"
done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$LIBS")
[ -n "$(find "$ROOTFS" -name 'ld-linux*' -print -quit)" ] || fail "no dynamic loader in ldd's list:"$'\n'"$LIBS"

# A name for uid 65532 (tools that look the user up), and glibc's host lookup order.
cat >"$ROOTFS/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin
EOF
cat >"$ROOTFS/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
echo 'hosts: files dns' >"$ROOTFS/etc/nsswitch.conf"
cp deploy/container/Containerfile "$CONTEXT/Containerfile"

echo "build-image: context $CONTEXT ($(du -sh "$ROOTFS" | cut -f1)):" >&2
(cd "$ROOTFS" && find . -type f | sort | sed 's/^\./  /') >&2

BUILDER=${BUILDER:-$(command -v buildah >/dev/null && echo buildah || echo podman)}
command -v "$BUILDER" >/dev/null || fail "neither buildah nor podman is installed (Debian: apt-get install -y buildah podman)"
# shellcheck disable=SC2086 # BUILD_FLAGS is a list of flags
case "$BUILDER" in
  buildah) buildah ${STORAGE_DRIVER:+--storage-driver "$STORAGE_DRIVER"} build ${BUILD_FLAGS:-} \
             --build-arg VERSION="$VERSION" -f "$CONTEXT/Containerfile" -t "$IMAGE" "$CONTEXT" ;;
  podman) podman ${STORAGE_DRIVER:+--storage-driver "$STORAGE_DRIVER"} build ${BUILD_FLAGS:-} \
             --build-arg VERSION="$VERSION" -f "$CONTEXT/Containerfile" -t "$IMAGE" "$CONTEXT" ;;
  *) fail "BUILDER must be buildah or podman, not $BUILDER" ;;
esac
echo "build-image: built $IMAGE" >&2
