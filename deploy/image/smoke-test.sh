#!/usr/bin/env bash
# Runs a container image built by Jib (a `docker save` tarball) without a container engine, to prove it starts:
# unpacks its layers into a root filesystem and runs the image's Java entry point there (chroot, as the image's
# user, in private mount and PID namespaces with /proc and /dev), with the given environment.
#
#   smoke-test.sh IMAGE_TAR health URL [NAME=VALUE ...]   start the service; pass when the image's own health
#                                                         probe gets 200 from URL (within 120 s)
#   smoke-test.sh IMAGE_TAR exits  CODE [NAME=VALUE ...] -- ARG ...
#                                                         run the entry point with ARGs; pass on exit status CODE
#
# Needs root (chroot, namespaces); anyone else gets a clear skip (exit 0) rather than a false failure.
set -euo pipefail

IMAGE_TAR="${1:?usage: smoke-test.sh IMAGE_TAR (health URL | exits CODE) [NAME=VALUE ...] [-- ARG ...]}"
MODE="${2:?}"
EXPECTED="${3:?}"
shift 3
ENVIRONMENT=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do ENVIRONMENT+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
ARGS=("$@")

NAME="$(basename "$(dirname "$(dirname "$IMAGE_TAR")")")"
log() { echo "smoke-test[$NAME]: $*" >&2; }

UNSHARE="$(command -v unshare || true)"
CHROOT="$(command -v chroot || true)"
if [ "$(id -u)" != "0" ] || [ -z "$UNSHARE" ] || [ -z "$CHROOT" ]; then
  log "SKIPPED: running an image without an engine needs root, unshare and chroot"
  exit 0
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cachebus-smoke.XXXXXX")"
SERVICE_PID=""
cleanup() {
  if [ -n "$SERVICE_PID" ]; then
    # The service is unshare's only child and the first process of its PID namespace: killing it ends everything
    # in there. (unshare ignores TERM, and the service changed its user, which clears --kill-child's signal.)
    for child in $(cat "/proc/$SERVICE_PID/task/$SERVICE_PID/children" 2>/dev/null); do
      kill -KILL "$child" 2>/dev/null || true
    done
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ROOTFS="$WORK/rootfs"
mkdir -p "$WORK/image" "$ROOTFS"
tar -xf "$IMAGE_TAR" -C "$WORK/image"
# manifest.json: [{"Config":...,"RepoTags":[...],"Layers":["a.tar.gz",...]}]; Jib's layers carry no whiteouts.
for layer in $(sed -e 's/.*"Layers":\[\([^]]*\)\].*/\1/' -e 's/[",]/ /g' "$WORK/image/manifest.json"); do
  tar -xzf "$WORK/image/$layer" -C "$ROOTFS" 2>/dev/null
done
CONFIG="$(cat "$WORK/image/config.json")"
json_strings() {  # the strings of one array field of the image configuration
  echo "$CONFIG" | sed -n "s/.*\"$1\":\[\([^]]*\)\].*/\1/p" | grep -o '"[^"]*"' | tr -d '"'
}
mapfile -t IMAGE_ENV < <(json_strings Env)
mapfile -t ENTRYPOINT < <(json_strings Entrypoint)
USER_SPEC="$(echo "$CONFIG" | sed -n 's/.*"User":"\([^"]*\)".*/\1/p')"
[ ${#ENTRYPOINT[@]} -gt 0 ] || { log "FAILED: the image has no entry point"; exit 1; }
mkdir -p "$ROOTFS/proc" "$ROOTFS/dev" "$ROOTFS/etc"
cp /etc/hosts "$ROOTFS/etc/hosts"   # as an engine would provide

# Runs a command inside the image's root filesystem, as the image's user, in namespaces of its own. It replaces
# the calling shell, so call it in a subshell; killing that process kills everything inside (--kill-child).
# The image has no env binary: the environment is set before entering it (chroot searches the image's PATH).
in_image() {
  exec env -i "${IMAGE_ENV[@]}" HOME=/home/cachebus "${ENVIRONMENT[@]}" \
    "$UNSHARE" --mount --pid --fork --kill-child --propagation private -- /bin/sh -c '
      rootfs="$1"; user="$2"; shift 2
      mount --rbind /dev "$rootfs/dev" && mount -t proc proc "$rootfs/proc" &&
      exec "$0" ${user:+--userspec="$user"} "$rootfs" "$@"' "$CHROOT" "$ROOTFS" "$USER_SPEC" "$@"
}

case "$MODE" in
  health)
    started=$(date +%s)
    ( in_image "${ENTRYPOINT[@]}" "${ARGS[@]}" ) > "$WORK/service.log" 2>&1 &
    SERVICE_PID=$!
    while true; do
      if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
        tail -n 60 "$WORK/service.log" >&2
        log "FAILED: the service exited before it was healthy"
        exit 1
      fi
      if ( in_image java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx32m \
          -cp /opt/cachebus/healthcheck io.cachebus.healthcheck.HealthProbe "$EXPECTED" ) >/dev/null 2>&1; then
        log "OK: healthy at $EXPECTED after $(( $(date +%s) - started )) s"
        exit 0
      fi
      if [ $(( $(date +%s) - started )) -ge 120 ]; then
        tail -n 60 "$WORK/service.log" >&2
        log "FAILED: not healthy at $EXPECTED within 120 s"
        exit 1
      fi
      sleep 2
    done
    ;;
  exits)
    status=0
    ( in_image "${ENTRYPOINT[@]}" "${ARGS[@]}" ) > "$WORK/run.log" 2>&1 || status=$?
    if [ "$status" = "$EXPECTED" ]; then
      log "OK: exited with $status"
    else
      tail -n 60 "$WORK/run.log" >&2
      log "FAILED: exited with $status, expected $EXPECTED"
      exit 1
    fi
    ;;
  *)
    log "unknown mode $MODE"
    exit 2
    ;;
esac
