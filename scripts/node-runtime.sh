#!/usr/bin/env bash
# Prints the bin directory of a Node.js runtime of the given major version (22 or 24), installing
# it from the npm registry's `node` package when missing (these machines reach no other source).
#   PATH="$(scripts/node-runtime.sh 24):$PATH" npm test
set -euo pipefail
MAJOR="${1:?usage: $0 <major version>}"
DIR="${POSTBAG_NODE_RUNTIMES:-/tmp/postbag-node-runtimes}/node$MAJOR"
if [ ! -x "$DIR/node_modules/node/bin/node" ]; then
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error "node@$MAJOR" >&2
fi
"$DIR/node_modules/node/bin/node" --version >&2
echo "$DIR/node_modules/node/bin"
