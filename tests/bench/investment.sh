#!/usr/bin/env bash
# Investment benchmark (prints figures; it is not a test). Loads a synthetic
# pipeline of LEADS leads (default 100000) and FUNDS_PER_LEAD funds entries
# for each lead in REGISTERED (a fifth of them; default 50, so 1,000,000
# entries at 100000 leads) into a real investment service through gRPC, then
# measures with h2load, straight to the service (4 connections x 16
# streams), and compares with the same SQL run directly on the service's
# SQLite file by tests/bench/sqlite_floor (the floor; for summarize, the
# row scan the rollups replace). BENCH_ENGINE=postgres: see lib.sh.
#   get        GetLead of one lead
#   list       a ListLeads page (50) filtered by industry and department
#   summarize  SummarizeLeads over everything: groups by stage, the funnel
#              with median days per stage, funds by month of 2024
# Every response is checked: HTTP 200 and, on the service's metrics, only OK.
# Usage: tests/bench/investment.sh [LEADS] [FUNDS_PER_LEAD] [seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" nghttp2-client
build_project >/dev/null

LEADS=${1:-100000}
FUNDS_PER_LEAD=${2:-50}
DURATION=${3:-8}
WORK=$(mktemp -d /tmp/jiangan-investment-bench-XXXXXX)
source tests/bench/lib.sh
SERVICE_PATH=jiangan.investment.v1.InvestmentService
start_service investment
build/tools/jiangan_cli synthesize-leads "$LEADS" >"$WORK/leads.jsonl"
build/tools/jiangan_cli synthesize-funds "$LEADS" "$FUNDS_PER_LEAD" >"$WORK/funds.jsonl"
ENTRIES=$(wc -l <"$WORK/funds.jsonl")
load "$WORK/leads.jsonl" --parallel=4 --batch=500 --timeout=300s
load "$WORK/funds.jsonl" --parallel=8
after_load investment

# A lead that exists whatever the size: the middle one.
GET_ID=synthetic-$((LEADS / 2))
get="{\"name\":\"leads/$GET_ID\"}"
list='{"pageSize":50,"filter":{"industries":["DIGITAL_ECONOMY"],"ownerDepartment":"区投资促进局"}}'
summarize='{"groupBy":["BY_STAGE"],"fundsYear":2024}'
build/tools/jiangan_cli frame "$SERVICE_PATH/GetLead" "$get" >"$WORK/get.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/ListLeads" "$list" >"$WORK/list.bin"
build/tools/jiangan_cli frame "$SERVICE_PATH/SummarizeLeads" "$summarize" >"$WORK/summarize.bin"
# What each request returns, as a sanity check of the load.
"${cli[@]}" call "$SERVICE_PATH/ListLeads" "$list" | grep -c '"name": "leads/' |
  xargs echo "list page rows:"
"${cli[@]}" call "$SERVICE_PATH/SummarizeLeads" "$summarize" >"$WORK/summary.json"
grep -oE '"leadCount": "[0-9]+"' "$WORK/summary.json" | grep -oE '[0-9]+' |
  awk '{s += $1} END {print "summarized leads:", s}'
grep -A2 '"month": "2024-12"' "$WORK/summary.json" | grep -oE '"cumulativeYuan": "[0-9]+"' |
  xargs echo "funds arrived in 2024:"

H2LOAD_CONNECTIONS=4
H2LOAD_STREAMS=16
identity_headers "$WORK/identity.key"
measure_ok get "$SERVICE" "$SERVICE_PATH/GetLead" "$WORK/get.bin" "$SERVICE_HTTP" GetLead
identity_headers "$WORK/identity.key"
measure_ok list "$SERVICE" "$SERVICE_PATH/ListLeads" "$WORK/list.bin" "$SERVICE_HTTP" \
  ListLeads 1000
identity_headers "$WORK/identity.key"
measure_ok summarize "$SERVICE" "$SERVICE_PATH/SummarizeLeads" "$WORK/summarize.bin" \
  "$SERVICE_HTTP" SummarizeLeads 20

floor_table "investment service with $LEADS leads and $ENTRIES funds entries" --service=investment --db_path="$WORK/investment.db" --get_id="$GET_ID"
