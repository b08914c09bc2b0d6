#!/usr/bin/env bash
# Fails when the entities and the migrated schema differ, i.e. when a migration is missing.
# Needs DATABASE_OWNER_URL pointing at a database migrated with every migration.
set -euo pipefail
npx typeorm migration:generate -d dist/libs/db/src/cli-data-source.js --check --dryrun migrations/Drift
