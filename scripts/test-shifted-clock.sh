#!/usr/bin/env bash
# No test may depend on the day it runs. Runs the rule, core, report, audit, job and privacy
# suites with the whole process tree's clock moved (Debian's faketime): 400 days ahead, and to
# 29 Feb 2028. Monotonic clocks are left alone so timers still fire on time.
#   scripts/test-shifted-clock.sh [vitest files or folders…]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "faketime not found; installing Debian's faketime package" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >&2
fi

SUITES=("$@")
if [ ${#SUITES[@]} -eq 0 ]; then
  SUITES=(test/domain test/db test/reports test/audit test/jobs test/privacy test/bots test/cli test/letters test/intake)
fi

for shift in "+400d" "@2028-02-29 09:30:00"; do
  echo "== the clock at ${shift}: $(DONT_FAKE_MONOTONIC=1 faketime -f "$shift" date -u +%FT%TZ)"
  DONT_FAKE_MONOTONIC=1 faketime -f "$shift" npx vitest run "${SUITES[@]}"
done
