#!/usr/bin/env bash
# Builds the project and runs every test with ctest; exits non-zero if any
# fails. The tests start their own redis-server and servers on free ports.
#
# Two builds, two runs of the whole suite: build/ (g++, as shipped), then
# build-sanitize/ (clang, AddressSanitizer + UndefinedBehaviorSanitizer),
# which also runs each libFuzzer target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" "${JIANGAN_TEST_PACKAGES[@]}"
build_project
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300

build_sanitized
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" --timeout 600
