#!/usr/bin/env bash
# Sets up a fresh checkout: Node 24 LTS from the npm registry (scripts/node24.sh, cached in
# .tools/), then npm ci under it, then a check that better-sqlite3 loads under that Node.
# Afterwards, in each shell: `source scripts/node24.sh` puts that Node first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=node24.sh
source scripts/node24.sh
npm ci --no-fund --no-audit
node -e "const D = require('better-sqlite3'); new D(':memory:').prepare('select 1').get(); console.log('setup: better-sqlite3 ' + require('better-sqlite3/package.json').version + ' loads under Node ' + process.version)"
echo "setup: done. Now run: source scripts/node24.sh   (in each new shell), then npm start, npm run serve or npm test"
