#!/usr/bin/env bash
# Proves the package runs as production does: with Docker, builds the image and checks its
# health; without Docker (these CI machines), takes the same steps directly — the packed files
# only, `npm ci --omit=dev`, `node dist/main.js` on Node 24 and on Node 22 — and checks /healthz
# and the postbag command while the server holds the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."

# Waits for /healthz on 39878; a first start creates and migrates the embedded database, so allow
# two minutes on a busy machine.
wait_for_health() {
  for _ in $(seq 1 240); do
    if curl -fs http://127.0.0.1:39878/healthz 2>/dev/null; then echo; return 0; fi
    if [ -n "${server:-}" ] && ! kill -0 "$server" 2>/dev/null; then echo "the packaged Postbag exited" >&2; break; fi
    sleep 0.5
  done
  echo "the packaged Postbag did not answer /healthz" >&2
  [ -n "${work:-}" ] && tail -n 30 "$work/server.log" >&2
  return 1
}

if docker info >/dev/null 2>&1; then
  docker build -t postbag:ci .
  id=$(docker run -d -p 127.0.0.1:39878:3978 postbag:ci)
  trap 'docker rm -f "$id" >/dev/null' EXIT
  wait_for_health
  echo "package: OK (image)"
  exit 0
fi

work=$(mktemp -d)
trap 'if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
npm pack --pack-destination "$work" >/dev/null
tar xzf "$work"/postbag-*.tgz -C "$work"
cp package-lock.json "$work/package/"
(cd "$work/package" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
if [ -e "$work/package/node_modules/tsx" ]; then echo "tsx was installed for production" >&2; exit 1; fi

for major in 24 22; do
  bin=$(scripts/node-runtime.sh "$major" 2>/dev/null)
  echo "== the package on Node $("$bin/node" --version)"
  (cd "$work/package" && POSTBAG_DATA_DIR="$work/data" PORT=39878 HOST=127.0.0.1 POSTBAG_JOBS=off exec "$bin/node" dist/main.js >"$work/server.log" 2>&1) &
  server=$!
  wait_for_health
  # The postbag command while the server holds the embedded database: it runs inside the server.
  cli() { (cd "$work" && PATH="$bin:$PATH" POSTBAG_DATA_DIR="$work/data" ./package/bin/postbag.js "$@"); }
  cli help | head -n 1
  if [ "$major" = 24 ]; then cli staff add "Package Admin" --role admin,caseworker >/dev/null; fi
  cli staff list --as "Package Admin" | grep -q "Package Admin" || { echo "the postbag command did not reach the running server" >&2; exit 1; }
  kill -TERM "$server"
  wait "$server" || { echo "the packaged Postbag did not stop cleanly" >&2; tail -n 30 "$work/server.log" >&2; exit 1; }
  server=
done
echo "package: OK"
