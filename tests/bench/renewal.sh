#!/usr/bin/env bash
# Renewal benchmark (prints figures; it is not a test). Loads a synthetic
# portfolio of PROJECTS projects (default 100000) into a real renewal
# service, then measures with h2load, straight to the service (4 connections
# x 16 streams), and compares with the same SQL run directly on the
# service's SQLite file by tests/bench/sqlite_floor (the floor):
#   get        GetProject of one project
#   list       a ListProjects page (50) filtered by kind and sub-district
#   summarize  SummarizeProjects over everything, grouped by kind and phase
# Every response is checked: HTTP 200 and, on the service's metrics, only OK.
# Usage: tests/bench/renewal.sh [PROJECTS] [seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" nghttp2-client
build_project >/dev/null

PROJECTS=${1:-100000}
DURATION=${2:-8}
WORK=$(mktemp -d /tmp/jiangan-renewal-bench-XXXXXX)
source tests/bench/lib.sh
source scripts/lib/credentials.sh
write_credentials "$WORK"
SERVICE_PATH=jiangan.renewal.v1.RenewalService

SERVICE=$(free_port); SERVICE_HTTP=$(free_port)
start renewal build/services/renewal/renewal_server --host=127.0.0.1 --grpc_port="$SERVICE" \
  --http_port="$SERVICE_HTTP" --db_path="$WORK/renewal.db" \
  --identity_key_file="$WORK/identity.key"
wait_port "$SERVICE"

cli=(build/tools/jiangan_cli --target="127.0.0.1:$SERVICE" --identity_key_file="$WORK/identity.key")
build/tools/jiangan_cli synthesize "$PROJECTS" >"$WORK/portfolio.jsonl"
load_start=$(date +%s.%N)
"${cli[@]}" --parallel=8 seed "$WORK/portfolio.jsonl"
load_end=$(date +%s.%N)
echo "loaded $PROJECTS projects in $(awk -v a="$load_start" -v b="$load_end" 'BEGIN {printf "%.1f", b - a}') s"

get='{"name":"projects/synthetic-4242"}'
list='{"pageSize":50,"filter":{"kinds":["OLD_COMMUNITY_RENOVATION"],"subDistrict":"后湖街道"}}'
summarize='{"groupBy":["BY_KIND","BY_PHASE"]}'
build/tools/jiangan_cli frame "$SERVICE_PATH/GetProject" "$get" >"$WORK/get.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/ListProjects" "$list" >"$WORK/list.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/SummarizeProjects" "$summarize" >"$WORK/summarize.bin"
# What each request returns, as a sanity check of the load.
"${cli[@]}" call "$SERVICE_PATH/ListProjects" "$list" | grep -c '"name": "projects/' |
  xargs echo "list page rows:"
"${cli[@]}" call "$SERVICE_PATH/SummarizeProjects" "$summarize" |
  grep -oE '"projectCount": "[0-9]+"' | grep -oE '[0-9]+' | awk '{s += $1} END {print "summarized projects:", s}'

H2LOAD_CONNECTIONS=4
H2LOAD_STREAMS=16
identity_headers "$WORK/identity.key"
measure_ok get "$SERVICE" "$SERVICE_PATH/GetProject" "$WORK/get.bin" "$SERVICE_HTTP" GetProject
identity_headers "$WORK/identity.key"
measure_ok list "$SERVICE" "$SERVICE_PATH/ListProjects" "$WORK/list.bin" "$SERVICE_HTTP" \
  ListProjects 1000
identity_headers "$WORK/identity.key"
measure_ok summarize "$SERVICE" "$SERVICE_PATH/SummarizeProjects" "$WORK/summarize.bin" \
  "$SERVICE_HTTP" SummarizeProjects 40

build/tests/sqlite_floor --db_path="$WORK/renewal.db" --duration="${DURATION}s" \
  --threads="$(nproc)" >"$WORK/floor.txt"
while read -r key rps p50 p99; do
  RPS[floor_$key]=$rps; P50[floor_$key]=$p50; P99[floor_$key]=$p99
done <"$WORK/floor.txt"

echo
echo "renewal service with $PROJECTS projects, about $DURATION s per run," \
     "h2load -t1 -c$H2LOAD_CONNECTIONS -m$H2LOAD_STREAMS; floor: the same SQL on $(nproc) threads;" \
     "$(nproc) cores shared with the client"
printf '%-12s %12s %9s %9s   %12s %9s %9s   %s\n' "query" "service/s" "p50 ms" "p99 ms" \
  "SQLite/s" "p50 ms" "p99 ms" "service/SQLite"
for key in get list summarize; do
  printf '%-12s %12s %9s %9s   %12s %9s %9s   %s\n' "$key" "${RPS[$key]}" "${P50[$key]}" \
    "${P99[$key]}" "${RPS[floor_$key]}" "${P50[floor_$key]}" "${P99[floor_$key]}" \
    "$(ratio "$key" "floor_$key")"
done
if [ "$failures" -ne 0 ]; then
  echo "CHECK FAILED: $failures run(s) had responses that were not grpc-status 0" >&2
  exit 1
fi
echo "every response: HTTP 200 and grpc-status 0 (checked on the service's metrics)"
