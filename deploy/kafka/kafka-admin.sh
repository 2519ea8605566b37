#!/usr/bin/env bash
# Runs a Kafka command-line tool as the broker's one super user ("admin", SASL/PLAIN on the ADMIN listener):
#   kafka-admin.sh kafka-topics.sh --bootstrap-server kafka:9094 --list
# The password comes from CACHEBUS_KAFKA_ADMIN_PASSWORD and goes into a client configuration only this user can read
# (mktemp: mode 0600), removed on exit; never onto a command line.
set -euo pipefail
: "${CACHEBUS_KAFKA_ADMIN_PASSWORD:?CACHEBUS_KAFKA_ADMIN_PASSWORD must be set}"
tool="$1"
shift
config="$(mktemp)"
trap 'rm -f "$config"' EXIT
cat >"$config" <<CONFIG
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${CACHEBUS_KAFKA_ADMIN_PASSWORD}";
CONFIG
"/opt/kafka/bin/$tool" "$@" --command-config "$config"
