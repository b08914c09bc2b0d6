#!/usr/bin/env bash
# npm run db:migration:generate -- Name
# Generates migrations/<timestamp>-<Name>.ts from the difference between the entities and the
# database at DATABASE_OWNER_URL (migrate it first), then reminds you to register and review it.
set -euo pipefail
name="${1:?usage: npm run db:migration:generate -- Name}"
npm run build --silent
npx typeorm migration:generate -d dist/libs/db/src/cli-data-source.js --pretty "migrations/${name}"
echo "Now review the file, add grants/triggers by hand if needed, and register it in migrations/index.ts"
