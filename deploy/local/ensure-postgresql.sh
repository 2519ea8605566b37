#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on CACHEBUS_PG_HOST:CACHEBUS_PG_PORT (default 127.0.0.1:5432) for the local
# cluster's separate-process topology (`./cachebus up`, `./cachebus bench`). A server that already answers is left
# exactly as it is (it may be shared: no setting, no restart). Only where none is installed, and as root on Debian,
# it installs Debian's postgresql and lets the local user postgres in over loopback without a password, which is
# what the local cluster connects as; that server is this machine's test server, never a production one.
set -euo pipefail

HOST="${CACHEBUS_PG_HOST:-127.0.0.1}"
PORT="${CACHEBUS_PG_PORT:-5432}"

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$PORT"
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
  fi
}

if answers; then
  exit 0
fi
if command -v postgres >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "cachebus: PostgreSQL is installed but does not answer on $HOST:$PORT; start it (e.g. pg_ctlcluster VERSION main start)" >&2
  exit 1
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "cachebus: no PostgreSQL on $HOST:$PORT; install it (apt-get install postgresql) or use --topology in-jvm" >&2
  exit 1
fi
echo "cachebus: installing PostgreSQL (Debian package) ..." >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
hba="/etc/postgresql/$version/main/pg_hba.conf"
# the server installed just now, for this machine's tests: postgres may connect over loopback without a password
sed -i '0,/^host/s//host    all             postgres        127.0.0.1\/32            trust\nhost/' "$hba"
pg_ctlcluster "$version" main start || pg_ctlcluster "$version" main reload
for _ in $(seq 1 30); do
  if answers; then
    exit 0
  fi
  sleep 1
done
echo "cachebus: PostgreSQL $version installed but not answering on $HOST:$PORT" >&2
exit 1
