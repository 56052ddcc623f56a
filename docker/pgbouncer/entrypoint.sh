#!/bin/sh
# Writes PgBouncer's configuration from the environment and starts it in the foreground.
#   POSTGRES_PASSWORD (required), POSTGRES_USER (caseload), POSTGRES_HOST (postgres),
#   POSTGRES_PORT (5432), PGBOUNCER_LISTEN_ADDR (0.0.0.0), PGBOUNCER_PORT (6432),
#   PGBOUNCER_CONFIG_DIR (/tmp/pgbouncer), PGBOUNCER_MAX_CLIENT_CONN (1000),
#   PGBOUNCER_DEFAULT_POOL_SIZE (20: server connections per database and user).
# Transaction pooling: the app must run with DATABASE_TRANSACTION_POOLING=true (no server-side
# cursors, no startup options); jit is turned off on the server instead (docker-compose.yml).
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
config=${PGBOUNCER_CONFIG_DIR:-/tmp/pgbouncer}
mkdir -p "$config"
umask 077
printf '"%s" "%s"\n' "${POSTGRES_USER:-caseload}" "$POSTGRES_PASSWORD" > "$config/userlist.txt"
cat > "$config/pgbouncer.ini" <<INI
[databases]
* = host=${POSTGRES_HOST:-postgres} port=${POSTGRES_PORT:-5432}

[pgbouncer]
listen_addr = ${PGBOUNCER_LISTEN_ADDR:-0.0.0.0}
listen_port = ${PGBOUNCER_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $config/userlist.txt
pool_mode = transaction
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-1000}
default_pool_size = ${PGBOUNCER_DEFAULT_POOL_SIZE:-20}
ignore_startup_parameters = extra_float_digits
INI
exec pgbouncer "$config/pgbouncer.ini"
