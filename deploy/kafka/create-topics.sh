#!/usr/bin/env bash
# Creates the cachebus topics (kafka-init in docker-compose.yml). Idempotent: an existing topic is left alone.
# Names are the defaults of io.cachebus.events.Topics; the compose check (ComposeFileTest) fails if a topic the
# services use is not created here.
set -euo pipefail
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS must name the broker}"
TOPICS=/opt/kafka/bin/kafka-topics.sh

create() {
  local topic="$1" partitions="$2"
  shift 2
  "$TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 "$@"
  echo "kafka-init: topic=$topic partitions=$partitions ready"
}

# Mutations: keyed by tenant:domain; 6 partitions serve up to 6 invalidator consumer threads (2 x concurrency 3).
# Kept 7 days, so a group can be rewound to replay (docs/runbook.md).
create cachebus.domain-mutated 6 --config retention.ms=604800000
# Poison mutations, with the reason in headers; kept 30 days for inspection and replay.
create cachebus.domain-mutated.DLT 6 --config retention.ms=2592000000
# Evictions: every API node reads all of it from the end; a node that was away drops its L1 on assignment,
# so an hour of history is plenty.
create cachebus.evictions 3 --config retention.ms=3600000
