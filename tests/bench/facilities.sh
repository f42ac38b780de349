#!/usr/bin/env bash
# Facilities benchmark (prints figures; it is not a test). Loads FACILITIES
# synthetic facilities (default 1000000) spread over the district, with one
# capacity reading each, into a real facilities service through gRPC, then
# measures with h2load, straight to the service (4 connections x 16
# streams):
#   search    SearchNearby: radius 1 km, at most 10 results, every kind
# beside two floors run in process on the service's own SQLite file by
# tests/bench/sqlite_floor on as many threads as there are cores:
#   (a) search_scan   a brute-force scan of every facility's coordinates
#   (b) search_index  the service's own R*Tree search, without gRPC
# and times ReportCoverage of POINTS synthetic residential compounds
# (default 10000) for the 15-minute living circle, one call at a time.
# Every response is checked: HTTP 200 and, on the service's metrics, only OK.
# Usage: tests/bench/facilities.sh [FACILITIES] [POINTS] [seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" nghttp2-client
build_project >/dev/null

FACILITIES=${1:-1000000}
POINTS=${2:-10000}
DURATION=${3:-8}
WORK=$(mktemp -d /tmp/jiangan-facilities-bench-XXXXXX)
source tests/bench/lib.sh
SERVICE_PATH=jiangan.facilities.v1.FacilitiesService
start_service facilities
build/tools/jiangan_cli synthesize-facilities "$FACILITIES" >"$WORK/facilities.jsonl"
build/tools/jiangan_cli synthesize-capacity "$FACILITIES" >"$WORK/capacity.jsonl"
build/tools/jiangan_cli synthesize-residences "$POINTS" >"$WORK/residences.json"
start_time=$(date +%s.%N)
"${cli[@]}" --parallel=8 seed "$WORK/facilities.jsonl"
echo "loaded $FACILITIES facilities in $(seconds_since "$start_time") s (gRPC creates, 8 in flight)"
start_time=$(date +%s.%N)
"${cli[@]}" --parallel=8 seed "$WORK/capacity.jsonl"
echo "loaded $FACILITIES capacity readings in $(seconds_since "$start_time") s (gRPC RecordCapacity, 8 in flight)"

search='{"point":{"latitude":30.65,"longitude":114.31},"radiusMeters":1000,"limit":10}'
build/tools/jiangan_cli frame "$SERVICE_PATH/SearchNearby" "$search" >"$WORK/search.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/ReportCoverage" "@$WORK/residences.json" >"$WORK/report.bin"
"${cli[@]}" call "$SERVICE_PATH/SearchNearby" "$search" | grep -oE '"distanceMeters": [0-9.]+' |
  tail -1 | xargs echo "search results: 10th nearest at"
start_time=$(date +%s.%N)
"${cli[@]}" call "$SERVICE_PATH/ReportCoverage" "@$WORK/residences.json" >"$WORK/report.json"
echo "one ReportCoverage of $POINTS points (with the CLI's start-up): $(seconds_since "$start_time") s"
grep -oE '"(kind|reachablePercent|servedPercent|capacityAware)": [^,]+' "$WORK/report.json" |
  paste -sd' ' | sed 's/"kind"/\n  "kind"/g'
echo

H2LOAD_CONNECTIONS=4
H2LOAD_STREAMS=16
identity_headers "$WORK/identity.key"
measure_ok search "$SERVICE" "$SERVICE_PATH/SearchNearby" "$WORK/search.bin" "$SERVICE_HTTP" \
  SearchNearby 2000
H2LOAD_CONNECTIONS=1
H2LOAD_STREAMS=1
identity_headers "$WORK/identity.key"
measure_ok report "$SERVICE" "$SERVICE_PATH/ReportCoverage" "$WORK/report.bin" "$SERVICE_HTTP" \
  ReportCoverage 3

run_floor --service=facilities --db_path="$WORK/facilities.db" --latitude=30.65 \
  --longitude=114.31 --radius_meters=1000 --limit=10
echo
echo "facilities service with $FACILITIES facilities, about $DURATION s per run; search by h2load" \
     "-t1 -c4 -m16; floors in process on $(nproc) threads; $(nproc) cores shared with the client"
table_header "(a) scan"
table_row "search" search floor_search_scan
table_header "(b) index"
table_row "search" search floor_search_index
echo "ReportCoverage, $POINTS points, one call at a time: ${RPS[report]} calls/s," \
     "p50 ${P50[report]} ms, p99 ${P99[report]} ms"
check_failures
