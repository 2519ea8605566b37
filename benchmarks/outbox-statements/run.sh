#!/usr/bin/env bash
# What the outbox costs PostgreSQL per write, statement by statement (ADR 0020): pgbench runs a write alone, with its
# outbox insert, and with the insert and the relay's mark or delete, one row per statement or four, in alternating
# rounds. For each it prints the writes per second and the CPU of every PostgreSQL process per write (the backends'
# own time, read from the postmaster's children as they exit, and the background processes': WAL writer,
# checkpointer). Needs pgbench, psql, python3 (which reads the DDL from OutboxSchema) and a PostgreSQL it can reach;
# works in a database of its own, dropped at the end.
#
#   benchmarks/outbox-statements/run.sh [HOST] [PORT]     (default 127.0.0.1 5432; 3 rounds of 15 s per variant)
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-5432}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-15}
database=cachebus_outbox_statements
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -h "$host" -p "$port" -d postgres -qAtc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT

psql -h "$host" -p "$port" -d postgres -qAtc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1
psql -h "$host" -p "$port" -d postgres -qAtc "CREATE DATABASE $database"
# the outbox table as cache-client's OutboxSchema creates it, and a table of entities the writes update
python3 "$here/outbox-ddl.py" "$here/../../cache-client/src/main/java/io/cachebus/client/internal/outbox/OutboxSchema.java" \
  | psql -h "$host" -p "$port" -d "$database" -q -v ON_ERROR_STOP=1
psql -h "$host" -p "$port" -d "$database" -q -v ON_ERROR_STOP=1 -f "$here/entities.sql"

write='\set w random(1, 128)
BEGIN;
UPDATE workflows SET version = version + 1 WHERE id = :w;'
insert="INSERT INTO cachebus_outbox (event_id, tenant, domain, sequence, payload, source_node, created_at, claimed_by, claimed_at) VALUES (gen_random_uuid()::text, 't1', 'workflows', 0, '$(cat "$here/payload.json")', 'api-1', now(), 'api-1', CURRENT_TIMESTAMP) RETURNING id"
mark='UPDATE cachebus_outbox SET sent_at = CURRENT_TIMESTAMP WHERE id IN'
delete='DELETE FROM cachebus_outbox WHERE id IN'

printf '%s\nCOMMIT;\n' "$write" > "$work/write.sql"
printf '%s\n%s;\nCOMMIT;\n' "$write" "$insert" > "$work/insert.sql"
for kind in mark delete; do
  statement=$([ $kind = mark ] && echo "$mark" || echo "$delete")
  printf '%s\n%s \\gset\nCOMMIT;\n%s (:id);\n' "$write" "$insert" "$statement" > "$work/${kind}1.sql"
  : > "$work/${kind}4.sql"
  for k in 0 1 2 3; do printf '%s\n%s \\gset a%s_\nCOMMIT;\n' "$write" "$insert" "$k" >> "$work/${kind}4.sql"; done
  printf '%s (:a0_id, :a1_id, :a2_id, :a3_id);\n' "$statement" >> "$work/${kind}4.sql"
done

postgres_cpu_ticks() {
  local ticks=0 fields
  for pid in $(pgrep -x postgres); do
    # utime, stime, and the children's (exited backends) of each postgres process
    fields=($(cut -d' ' -f14-17 "/proc/$pid/stat" 2>/dev/null || echo 0 0 0 0))
    ticks=$((ticks + fields[0] + fields[1] + fields[2] + fields[3]))
  done
  echo "$ticks"
}

run() { # variant, writes per script run
  local before after runs writes
  before=$(postgres_cpu_ticks)
  runs=$(pgbench -h "$host" -p "$port" -n -c 4 -j 2 -T "$seconds" -f "$work/$1.sql" "$database" 2>&1 \
    | awk '/number of transactions actually processed/ {split($NF, n, "/"); print n[1]}')
  # what the relay leaves behind is purged, as the housekeeping does: its cost counts too
  psql -h "$host" -p "$port" -d "$database" -qAtc "DELETE FROM cachebus_outbox"
  after=$(postgres_cpu_ticks)
  writes=$((runs * $2))
  awk -v v="$1" -v w="$writes" -v s="$seconds" -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%-8s %8d writes/s  %.3f ms of PostgreSQL CPU per write\n", v, w / s, t * 1000 / hz / w }'
}

for round in $(seq "$rounds"); do
  echo "round $round"
  run write 1; run insert 1; run mark1 1; run delete1 1; run mark4 4; run delete4 4
done
