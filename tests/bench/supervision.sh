#!/usr/bin/env bash
# Supervision benchmark (prints figures; it is not a test): a page of
# ListTickets (by RED lamp, by department in deadline order, unfiltered)
# and the year's department scorecard, at 10k and 100k tickets in one run,
# through the ticket store in process on SQLite (tests/bench/supervision_bench.cc).
# Usage: tests/bench/supervision.sh [sizes, default 10000,100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}"
build_project >/dev/null
build/tests/supervision_bench --sizes="${1:-10000,100000}" \
  --calendar_path=seed/calendar/official.json --dir="${TMPDIR:-/tmp}"
