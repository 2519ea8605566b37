#!/usr/bin/env bash
# Creates the cachebus topics, the services' SCRAM users and their ACLs (kafka-init in docker-compose.yml), as the
# broker's admin user. Idempotent: an existing topic is left alone, users and ACLs are set again.
# Topic names are the defaults of io.cachebus.events.Topics; the compose check (ComposeFileTest) fails if a topic
# the services use is not created here, or if a service may do more or less on Kafka than its work needs.
set -euo pipefail
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:?KAFKA_BOOTSTRAP_SERVERS must name the broker}"
ADMIN=(/bin/bash "$(dirname "$0")/kafka-admin.sh")

create() {
  local topic="$1" partitions="$2"
  shift 2
  "${ADMIN[@]}" kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor 1 "$@"
  echo "kafka-init: topic=$topic partitions=$partitions ready"
}

# A SCRAM-SHA-512 user whose password is in the named environment variable.
user() {
  local name="$1" variable="$2"
  local password="${!variable:?$variable must be set}"
  "${ADMIN[@]}" kafka-configs.sh --bootstrap-server "$BOOTSTRAP" --alter --entity-type users --entity-name "$name" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]" >/dev/null
  echo "kafka-init: user=$name ready"
}

# allow USER OPERATION topic|group NAME [prefixed]: one ACL; nothing is allowed without one.
allow() {
  local principal="$1" operation="$2" type="$3" name="$4" pattern="${5:-literal}"
  "${ADMIN[@]}" kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$principal" \
    --operation "$operation" "--$type" "$name" --resource-pattern-type "$pattern" >/dev/null
  echo "kafka-init: acl principal=$principal operation=$operation $type=$name pattern=$pattern"
}

# Mutations: keyed by tenant:domain; 6 partitions serve up to 6 invalidator consumer threads (2 x concurrency 3).
# Kept 7 days, so a group can be rewound to replay (docs/runbook.md).
create cachebus.domain-mutated 6 --config retention.ms=604800000
# Poison mutations, with the reason in headers; kept 30 days for inspection and replay.
create cachebus.domain-mutated.DLT 6 --config retention.ms=2592000000
# Evictions: every API node reads all of it from the end; a node that was away drops its L1 on assignment,
# so an hour of history is plenty.
create cachebus.evictions 3 --config retention.ms=3600000

user cachebus-api KAFKA_API_PASSWORD
user cachebus-invalidator KAFKA_INVALIDATOR_PASSWORD
user kafka-exporter KAFKA_EXPORTER_PASSWORD

# API nodes publish mutations (outbox relay) and read evictions, each node in a group of its own
# (cachebus-evictions-<node>-<random>). Write implies Describe: enough for the staleness bound, which reads the
# mutation topic's end offsets.
allow cachebus-api Write topic cachebus.domain-mutated
allow cachebus-api Read topic cachebus.evictions
allow cachebus-api Read group cachebus-evictions- prefixed
# Invalidators read mutations in their shared group, broadcast evictions and dead-letter poison mutations.
allow cachebus-invalidator Read topic cachebus.domain-mutated
allow cachebus-invalidator Read group cachebus-invalidator
allow cachebus-invalidator Write topic cachebus.evictions
allow cachebus-invalidator Write topic cachebus.domain-mutated.DLT
# The lag exporter only describes the cachebus topics and groups.
allow kafka-exporter Describe topic cachebus. prefixed
allow kafka-exporter Describe group cachebus- prefixed
