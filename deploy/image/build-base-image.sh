#!/usr/bin/env bash
# Builds the default base image of cachebus's container images, with neither a Docker engine nor a registry
# (ADR 0007): a Java 17 runtime made by jlink from the local JDK, the shared libraries it links against copied
# from this machine, and the few files a container expects (passwd, group, /tmp, CA certificates, fonts).
# Writes a `docker save` tarball that Jib reads as from.image=tar://OUTPUT_DIR/base-image.tar, and compiles the
# container health probe (HealthProbe.java) into OUTPUT_DIR/healthcheck, which Jib adds to every image.
#
#   build-base-image.sh OUTPUT_DIR [JDK_HOME]
#
# The runtime comes from the first JDK 17 with jmods among JDK_HOME, CACHEBUS_IMAGE_JDK, JAVA_HOME, the `java` on
# the PATH and Debian's /usr/lib/jvm/java-17-openjdk-*.
# An unchanged script, probe source and JDK reuse the previous output (a stamp file), so a rebuild costs nothing.
set -euo pipefail

OUT="${1:?usage: build-base-image.sh OUTPUT_DIR [JDK_HOME]}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

IMAGE_NAME="cachebus/java-runtime:17"
JAVA_DIR="opt/java/openjdk"   # where eclipse-temurin images keep it, so both bases look alike to the services
# Every module a Spring Boot service with Kafka, Lettuce, JDBC, Micrometer and the harness' charts (java.desktop,
# headless) can load; the smoke test (deploy/image/smoke-test.sh) starts the services on this runtime.
MODULES="java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,\
java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,\
java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,\
jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"
# The runtime is headless: these link X11 and GTK, which a server never loads.
DESKTOP_ONLY_LIBS="libawt_xawt.so libjawt.so libsplashscreen.so"
CACHEBUS_UID=10001

log() { echo "build-base-image: $*" >&2; }

is_jdk17_with_jmods() {
  [ -n "$1" ] && [ -x "$1/bin/jlink" ] && [ -d "$1/jmods" ] && grep -q '^JAVA_VERSION="17' "$1/release" 2>/dev/null
}
JDK=""
for candidate in "${2:-}" "${CACHEBUS_IMAGE_JDK:-}" "${JAVA_HOME:-}" \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java || echo /nonexistent/bin/java)")")")" \
    /usr/lib/jvm/java-17-openjdk-*; do
  if is_jdk17_with_jmods "$candidate"; then JDK="$candidate"; break; fi
done
[ -n "$JDK" ] || { log "no JDK 17 with jmods found (apt-get install openjdk-17-jdk-headless, or set CACHEBUS_IMAGE_JDK)"; exit 1; }
JDK_VERSION="$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$JDK/release")"

STAMP="$( { cat "$0" "$HERE/HealthProbe.java" "$JDK/release"; echo "$JDK"; } | sha256sum | cut -c1-64)"
if [ -f "$OUT/base-image.tar" ] && [ -f "$OUT/healthcheck/io/cachebus/healthcheck/HealthProbe.class" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then
  log "up to date: $OUT/base-image.tar"
  exit 0
fi

started=$(date +%s)
WORK="$OUT/work"
ROOTFS="$WORK/rootfs"
rm -rf "$WORK" "$OUT/base-image.tar" "$OUT/healthcheck" "$OUT/stamp"
mkdir -p "$ROOTFS" "$WORK/image"

log "jlink $JDK_VERSION from $JDK"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$ROOTFS/$JAVA_DIR"
rm -f "$ROOTFS/$JAVA_DIR/lib/server/classes_nocoops.jsa"   # only used with heaps over 32 GB
for lib in $DESKTOP_ONLY_LIBS; do rm -f "$ROOTFS/$JAVA_DIR/lib/$lib"; done

# Debian's JDK keeps the CA certificates outside the JDK (ca-certificates-java); use the machine's current set.
if [ -f /etc/ssl/certs/java/cacerts ]; then
  cp -L /etc/ssl/certs/java/cacerts "$ROOTFS/$JAVA_DIR/lib/security/cacerts"
fi

# Shared libraries: every library the runtime's binaries link against, plus the ones it opens at run time
# (fontconfig for text in the harness' charts), each copied to the path the loader found it at.
copy_with_dependencies() {
  { ldd "$1" 2>/dev/null || true; } | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }' | while read -r lib; do
    # The runtime's own libraries (found through its RPATH) are already in place.
    if [ "${lib#"$ROOTFS"/}" = "$lib" ] && [ ! -e "$ROOTFS$lib" ]; then
      mkdir -p "$ROOTFS$(dirname "$lib")"
      cp -L "$lib" "$ROOTFS$lib"
    fi
  done
}
while IFS= read -r -d '' elf; do
  copy_with_dependencies "$elf"
done < <(find "$ROOTFS/$JAVA_DIR" -type f \( -name '*.so' -o -perm -u+x \) -print0)
for runtime_lib in libfontconfig.so.1; do
  # awk reads to the end: leaving early would SIGPIPE ldconfig, which pipefail turns into exit 141 (seen in CI)
  path="$(ldconfig -p | awk -v name="$runtime_lib" '$1 == name && /x86-64/ && !found { print $NF; found = 1 }')"
  if [ -n "$path" ]; then
    mkdir -p "$ROOTFS$(dirname "$path")"
    cp -L "$path" "$ROOTFS$path"
    copy_with_dependencies "$path"
  else
    log "warning: $runtime_lib not found; text in the harness' charts may not render"
  fi
done
mkdir -p "$ROOTFS/etc"

# Fonts for the harness' charts (java.desktop renders text with them); the JDK finds them through fontconfig.
if [ -d /usr/share/fonts/truetype/dejavu ]; then
  mkdir -p "$ROOTFS/usr/share/fonts/truetype/dejavu" "$ROOTFS/etc/fonts"
  for font in DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf DejaVuSerif.ttf; do
    [ -f "/usr/share/fonts/truetype/dejavu/$font" ] && cp "/usr/share/fonts/truetype/dejavu/$font" "$ROOTFS/usr/share/fonts/truetype/dejavu/"
  done
  cat > "$ROOTFS/etc/fonts/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts</dir>
  <cachedir>/tmp/fontconfig</cachedir>
</fontconfig>
EOF
fi

# What a container expects: users, name resolution order, a writable /tmp.
cat > "$ROOTFS/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
cachebus:x:$CACHEBUS_UID:$CACHEBUS_UID:cachebus:/home/cachebus:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat > "$ROOTFS/etc/group" <<EOF
root:x:0:
cachebus:x:$CACHEBUS_UID:
nogroup:x:65534:
EOF
echo "hosts: files dns" > "$ROOTFS/etc/nsswitch.conf"
mkdir -p "$ROOTFS/tmp" "$ROOTFS/root" "$ROOTFS/home/cachebus" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/dev"
chmod 1777 "$ROOTFS/tmp"
chmod 700 "$ROOTFS/root"

# One layer, reproducible: sorted names, fixed owner and time.
LAYER="$WORK/layer.tar"
# Entry names carry no "./" prefix: Jib refuses those in a base image tarball.
tar_reproducibly() {
  local archive="$1" directory="$2"
  shift 2
  tar --create --file "$archive" --directory "$directory" --sort=name --format=gnu \
    --owner=0 --group=0 --numeric-owner --mtime=@0 "$@" $(cd "$directory" && ls -A)
}
tar_reproducibly "$LAYER" "$ROOTFS" --exclude=home/cachebus
tar --append --file "$LAYER" --directory "$ROOTFS" --format=gnu \
  --owner=$CACHEBUS_UID --group=$CACHEBUS_UID --numeric-owner --mtime=@0 --no-recursion home/cachebus
LAYER_DIGEST="$(sha256sum "$LAYER" | cut -c1-64)"

# `docker save` layout: manifest.json, the image configuration, the layer.
mkdir -p "$WORK/image/$LAYER_DIGEST"
mv "$LAYER" "$WORK/image/$LAYER_DIGEST/layer.tar"
cat > "$WORK/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/$JAVA_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=/$JAVA_DIR","LANG=C.UTF-8"],
           "WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$LAYER_DIGEST"]},
 "history":[{"created":"1970-01-01T00:00:00Z",
             "created_by":"deploy/image/build-base-image.sh: jlink $JDK_VERSION ($MODULES) and its shared libraries"}]}
EOF
CONFIG_DIGEST="$(sha256sum "$WORK/config.json" | cut -c1-64)"
mv "$WORK/config.json" "$WORK/image/$CONFIG_DIGEST.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' \
  "$CONFIG_DIGEST" "$IMAGE_NAME" "$LAYER_DIGEST" > "$WORK/image/manifest.json"
tar_reproducibly "$OUT/base-image.tar" "$WORK/image"

# The container health probe, compiled for the runtime above (and any Java 17+ base).
mkdir -p "$OUT/healthcheck"
"$JDK/bin/javac" --release 17 -d "$OUT/healthcheck" "$HERE/HealthProbe.java"

rm -rf "$WORK"
echo "$STAMP" > "$OUT/stamp"
log "wrote $OUT/base-image.tar ($(du -m "$OUT/base-image.tar" | cut -f1) MB) in $(( $(date +%s) - started )) s"
