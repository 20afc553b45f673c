#!/usr/bin/env bash
# Proves the package runs as production does: with Docker, builds the image and checks its
# health; without Docker (these CI machines), takes the same steps directly — the packed files
# only, `npm ci --omit=dev`, `npm start` — and checks /healthz and a CLI call.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker info >/dev/null 2>&1; then
  docker build -t postbag:ci .
  id=$(docker run -d -p 127.0.0.1:39878:3978 postbag:ci)
  trap 'docker rm -f "$id" >/dev/null' EXIT
else
  work=$(mktemp -d)
  trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
  npm pack --pack-destination "$work" >/dev/null
  tar xzf "$work"/postbag-*.tgz -C "$work"
  cp package-lock.json "$work/package/"
  (cd "$work/package" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
  if [ -e "$work/package/node_modules/tsx" ]; then echo "tsx was installed for production" >&2; exit 1; fi
  (cd "$work/package" && POSTBAG_DATA_DIR="$work/data" PORT=39878 HOST=127.0.0.1 exec node dist/main.js >"$work/server.log" 2>&1) &
  server=$!
fi
# A first start creates and migrates the embedded database: allow it two minutes on a busy machine.
for _ in $(seq 1 240); do
  if curl -fs http://127.0.0.1:39878/healthz 2>/dev/null; then echo; break; fi
  if [ -n "${server:-}" ] && ! kill -0 "$server" 2>/dev/null; then echo "the packaged Postbag exited" >&2; break; fi
  sleep 0.5
done
curl -fsS http://127.0.0.1:39878/healthz >/dev/null || { echo "the packaged Postbag did not answer /healthz" >&2; [ -n "${work:-}" ] && tail -n 30 "$work/server.log" >&2; exit 1; }
if [ -n "${work:-}" ]; then
  (cd "$work/package" && ./bin/postbag.js help | head -n 1)
fi
echo "package: OK"
