#!/usr/bin/env bash
# Writes the secrets docker-compose.yml requires into an env file compose reads (default: .env beside it), mode
# 0600, each a fresh random value: the JWT secret, the PostgreSQL, Redis and Grafana admin passwords, and one
# Kafka password per user. A variable the file already has is kept, so running it again changes nothing;
# to rotate one, delete its line and run it again (docs/security.md).
#
#   deploy/generate-secrets.sh [ENV_FILE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="${1:-$ROOT/.env}"

VARIABLES=(CACHEBUS_JWT_SECRET POSTGRES_PASSWORD REDIS_PASSWORD GRAFANA_ADMIN_PASSWORD
  KAFKA_ADMIN_PASSWORD KAFKA_API_PASSWORD KAFKA_INVALIDATOR_PASSWORD KAFKA_EXPORTER_PASSWORD)

# 36 random bytes as 48 URL-safe Base64 characters: no quote, '$', '=' or space to escape in YAML, JAAS or a URL.
random_value() {
  head -c 36 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n'
}

umask 077
touch "$ENV_FILE"
chmod 600 "$ENV_FILE"
added=0
for variable in "${VARIABLES[@]}"; do
  if ! grep -q "^$variable=" "$ENV_FILE"; then
    printf '%s=%s\n' "$variable" "$(random_value)" >>"$ENV_FILE"
    added=$((added + 1))
  fi
done
echo "generate-secrets: file=$ENV_FILE added=$added kept=$(( ${#VARIABLES[@]} - added )) mode=0600"
