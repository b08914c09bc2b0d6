#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it. Needs PostgreSQL and Redis reachable
# (TEST_DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres; TEST_REDIS_URL,
# default redis://127.0.0.1:6379). Prints each stage's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC

stage() {
  local name="$1"; shift
  local start=$SECONDS
  echo "::: ${name}"
  "$@"
  echo "::: ${name} done in $((SECONDS - start)) s"
}

admin_url="${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

migration_drift() {
  # A scratch database migrated from zero: the entities must match it exactly.
  local db="sillage_drift_$$"
  DATABASE_ADMIN_URL="$admin_url" DATABASE_NAME="$db" node dist/scripts/db-setup.js >/dev/null
  local owner_url
  owner_url=$(node -e "const u=new URL(process.argv[1]); u.username='sillage_owner'; u.password=''; u.pathname='/$db'; console.log(u.toString())" "$admin_url")
  local status=0
  DATABASE_OWNER_URL="$owner_url" node dist/libs/db/src/migrate-cli.js >/dev/null || status=$?
  if [ $status -eq 0 ]; then DATABASE_OWNER_URL="$owner_url" bash scripts/check-migration-drift.sh || status=$?; fi
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  return $status
}

stage lint npm run --silent lint
stage typecheck npm run --silent typecheck
stage build npm run --silent build
stage migration-drift migration_drift
stage openapi-drift npm run --silent openapi:check
stage jest npx jest --ci
