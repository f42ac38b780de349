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
SERVICE_PATH=jiangan.renewal.v1.RenewalService
start_service renewal
build/tools/jiangan_cli synthesize "$PROJECTS" >"$WORK/portfolio.jsonl"
load "$WORK/portfolio.jsonl" --parallel=4 --batch=500 --timeout=300s
after_load renewal

# A project that exists whatever the size: the middle one.
GET_ID=synthetic-$((PROJECTS / 2))
get="{\"name\":\"projects/$GET_ID\"}"
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

floor_table "renewal service with $PROJECTS projects" --service=renewal --db_path="$WORK/renewal.db" \
  --get_id="$GET_ID"
