#!/usr/bin/env bash
# Facilities benchmark (prints figures; it is not a test). Loads FACILITIES
# synthetic facilities (default 1000000) spread over the district, and a
# capacity reading of each of the first READINGS of them (default a tenth),
# into a real facilities service through gRPC, then measures with h2load,
# straight to the service (4 connections x 16 streams):
#   get        GetFacility of one facility
#   list       a ListFacilities page (50) filtered by kind and sub-district
#   summarize  SummarizeFacilities of 2024 grouped by kind: counts, openings,
#              capacity and its changes
#   search     SearchNearby: radius 1 km, at most 10 results, every kind
# beside floors run in process on the service's own SQLite file by
# tests/bench/sqlite_floor on as many threads as there are cores (the same
# SQL for get and list, the row scan the rollups replace for summarize; for
# search (a) a brute-force scan of every facility's coordinates and (b) the
# service's own R*Tree search, without gRPC), and times ReportCoverage of
# POINTS synthetic residential compounds (default 10000) for the 15-minute
# living circle, one call at a time. BENCH_ENGINE=postgres: see lib.sh (no
# floors then).
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
READINGS=${READINGS:-$((FACILITIES / 10))}
WORK=$(mktemp -d /tmp/jiangan-facilities-bench-XXXXXX)
source tests/bench/lib.sh
SERVICE_PATH=jiangan.facilities.v1.FacilitiesService
start_service facilities
build/tools/jiangan_cli synthesize-facilities "$FACILITIES" >"$WORK/facilities.jsonl"
build/tools/jiangan_cli synthesize-capacity "$READINGS" >"$WORK/capacity.jsonl"
build/tools/jiangan_cli synthesize-residences "$POINTS" >"$WORK/residences.json"
load "$WORK/facilities.jsonl" --parallel=4 --batch=500 --timeout=300s
load "$WORK/capacity.jsonl" --parallel=8
after_load facilities

# A facility that exists whatever the size: the middle one.
GET_ID=synthetic-$((FACILITIES / 2))
get="{\"name\":\"facilities/$GET_ID\"}"
list='{"pageSize":50,"filter":{"kinds":["PARK"],"subDistrict":"后湖街道"}}'
summarize='{"groupBy":["BY_KIND"],"periodStart":{"year":2024,"month":1,"day":1},"periodEnd":{"year":2024,"month":12,"day":31}}'
search='{"point":{"latitude":30.65,"longitude":114.31},"radiusMeters":1000,"limit":10}'
build/tools/jiangan_cli frame "$SERVICE_PATH/GetFacility" "$get" >"$WORK/get.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/ListFacilities" "$list" >"$WORK/list.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/SummarizeFacilities" "$summarize" >"$WORK/summarize.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/SearchNearby" "$search" >"$WORK/search.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/ReportCoverage" "@$WORK/residences.json" >"$WORK/report.bin"
# What each request returns, as a sanity check of the load.
"${cli[@]}" call "$SERVICE_PATH/ListFacilities" "$list" | grep -c '"name": "facilities/' |
  xargs echo "list page rows:"
"${cli[@]}" call "$SERVICE_PATH/SummarizeFacilities" "$summarize" >"$WORK/summary.json"
grep -oE '"facilityCount": "[0-9]+"' "$WORK/summary.json" | grep -oE '[0-9]+' |
  awk '{s += $1} END {print "summarized facilities:", s}'
grep -oE '"openedCount": "[0-9]+"' "$WORK/summary.json" | grep -oE '[0-9]+' |
  awk '{s += $1} END {print "opened in 2024:", s}'
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
measure_ok get "$SERVICE" "$SERVICE_PATH/GetFacility" "$WORK/get.bin" "$SERVICE_HTTP" GetFacility
identity_headers "$WORK/identity.key"
measure_ok list "$SERVICE" "$SERVICE_PATH/ListFacilities" "$WORK/list.bin" "$SERVICE_HTTP" \
  ListFacilities 1000
identity_headers "$WORK/identity.key"
measure_ok summarize "$SERVICE" "$SERVICE_PATH/SummarizeFacilities" "$WORK/summarize.bin" \
  "$SERVICE_HTTP" SummarizeFacilities 40
identity_headers "$WORK/identity.key"
measure_ok search "$SERVICE" "$SERVICE_PATH/SearchNearby" "$WORK/search.bin" "$SERVICE_HTTP" \
  SearchNearby 2000
H2LOAD_CONNECTIONS=1
H2LOAD_STREAMS=1
identity_headers "$WORK/identity.key"
measure_ok report "$SERVICE" "$SERVICE_PATH/ReportCoverage" "$WORK/report.bin" "$SERVICE_HTTP" \
  ReportCoverage 3

echo
echo "ReportCoverage, $POINTS points, one call at a time: ${RPS[report]} calls/s," \
     "p50 ${P50[report]} ms, p99 ${P99[report]} ms"
if [ "$BENCH_ENGINE" = postgres ]; then
  echo "facilities service with $FACILITIES facilities on PostgreSQL, about $DURATION s per run;" \
       "h2load -t1 -c4 -m16; $(nproc) cores shared with the client and the database"
  printf '%-14s %12s %9s %9s\n' "query" "service/s" "p50 ms" "p99 ms"
  for key in get list summarize search; do
    printf '%-14s %12s %9s %9s\n' "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}"
  done
  check_failures
  exit 0
fi
run_floor --service=facilities --db_path="$WORK/facilities.db" --get_id="$GET_ID" \
  --latitude=30.65 --longitude=114.31 --radius_meters=1000 --limit=10
echo "facilities service with $FACILITIES facilities, about $DURATION s per run; h2load" \
     "-t1 -c4 -m16; floors in process on $(nproc) threads; $(nproc) cores shared with the client"
table_header SQLite
for key in get list summarize; do table_row "$key" "$key" "floor_$key"; done
table_header "(a) scan"
table_row "search" search floor_search_scan
table_header "(b) index"
table_row "search" search floor_search_index
check_failures
