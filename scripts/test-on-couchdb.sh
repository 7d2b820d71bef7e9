#!/usr/bin/env bash
# The integration and browser suites once more, on Apache CouchDB 3.5 (what stores and HQ run in
# production): a store node and a central node started from ../shared/couchdb with the project's
# own couch/local.ini and couch/central-local.ini, and the three-node cluster test. Every node is
# fresh, and stopped at the end whatever happens. Without ../shared/couchdb (a user's machine) the
# pass is skipped with a line that says so; README.md ("Tests on Apache CouchDB") says how to run
# the same suites against any CouchDB 3 by URL.
#
#   scripts/test-on-couchdb.sh [integration|browser]   one suite only (default: both)
#   LAPAK_COUCHDB_NODE_SH   another couchdb-node.sh (default ../shared/couchdb/couchdb-node.sh)
set -euo pipefail
only=${1:-}
cd "$(dirname "$0")/.."

node_sh=${LAPAK_COUCHDB_NODE_SH:-../shared/couchdb/couchdb-node.sh}
if [ ! -f "$node_sh" ]; then
  echo "CouchDB pass skipped: $node_sh is not here. To run the suites on a CouchDB 3 of your own, see README.md, \"Tests on Apache CouchDB\"."
  exit 0
fi
node_sh=$(readlink -f "$node_sh")

work=$(mktemp -d /tmp/lapak-couchdb-XXXXXX)
mounted=()
cleanup() {
  for dir in "$work"/*/; do [ -d "$dir" ] && bash "$node_sh" stop "$dir" || true; done
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Four free loopback ports in 6100-6199 (the range the CouchDB pass keeps to).
read -r store_port central_port start_store_port start_central_port < <(node -e '
  const net = require("node:net");
  const free = (p) => new Promise((r) => { const s = net.createServer(); s.once("error", () => r(false)); s.listen(p, "127.0.0.1", () => s.close(() => r(true))); });
  (async () => { const got = []; for (let p = 6100; p < 6200 && got.length < 4; p++) if (await free(p)) got.push(p); console.log(got.join(" ")); })();
')

# Starts the store and central nodes in fresh directories under $work/$1; with "small", the store's
# data lives on a 256 MB tmpfs of its own (when mounting is permitted) so that "disk full" is real.
start_nodes() {
  local run=$work/$1
  mkdir -p "$run-store/data" "$run-central"
  if [ "${2:-}" = small ] && mount -t tmpfs -o size=256m tmpfs "$run-store/data" 2>/dev/null; then mounted+=("$run-store/data"); fi
  COUCHDB_EXTRA_INI="$PWD/couch/local.ini" bash "$node_sh" start "$run-store" "$store_port" >/dev/null
  COUCHDB_EXTRA_INI="$PWD/couch/central-local.ini" bash "$node_sh" start "$run-central" "$central_port" >/dev/null
  export LAPAK_TEST_STORE_COUCH_URL="http://admin:couchdb-test@127.0.0.1:$store_port"
  export LAPAK_TEST_CENTRAL_COUCH_URL="http://admin:couchdb-test@127.0.0.1:$central_port"
  export LAPAK_TEST_STORE_DISK_DIR="$run-store/data"
}

stop_nodes() {
  bash "$node_sh" stop "$work/$1-store"
  bash "$node_sh" stop "$work/$1-central"
}

if [ "$only" != browser ]; then
  echo "CouchDB pass: integration suite on Apache CouchDB (store :$store_port, central :$central_port), cluster test included"
  start_nodes integration
  LAPAK_TEST_COUCHDB_CLUSTER=$(dirname "$node_sh") npx vitest run --project integration
  stop_nodes integration
fi
[ "$only" != integration ] || exit 0

echo "CouchDB pass: browser suite on Apache CouchDB"
[ -f web/dist/index.html ] || npm run build
start_nodes browser small
# npm start's own demo goes into two more fresh nodes (e2e/npm-start.spec.ts).
mkdir -p "$work/start-store" "$work/start-central"
COUCHDB_PASSWORD=npm-start-secret COUCHDB_EXTRA_INI="$PWD/couch/local.ini" bash "$node_sh" start "$work/start-store" "$start_store_port" >/dev/null
COUCHDB_PASSWORD=npm-start-secret COUCHDB_EXTRA_INI="$PWD/couch/central-local.ini" bash "$node_sh" start "$work/start-central" "$start_central_port" >/dev/null
export LAPAK_TEST_START_STORE_COUCH_URL="http://admin:npm-start-secret@127.0.0.1:$start_store_port"
export LAPAK_TEST_START_CENTRAL_COUCH_URL="http://admin:npm-start-secret@127.0.0.1:$start_central_port"
npx playwright test
stop_nodes browser
