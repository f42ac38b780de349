#!/usr/bin/env bash
# Builds the project and runs every test with ctest; exits non-zero if any
# fails. The tests start their own redis-server and servers on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" "${JIANGAN_TEST_PACKAGES[@]}"
build_project
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
