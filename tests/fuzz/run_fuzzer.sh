#!/bin/sh
# Runs one libFuzzer target for a bounded time:
#   run_fuzzer.sh FUZZER CORPUS FOUND SECONDS
# CORPUS (in the tree) seeds it and is only read; new inputs go to FOUND.
# A crash, leak, sanitizer report or timeout fails the run, and the input
# that caused it is left in FOUND.
set -e
fuzzer=$1 corpus=$2 found=$3 seconds=$4
mkdir -p "$found"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$found/" "$found" "$corpus"
