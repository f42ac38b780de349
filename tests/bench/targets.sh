#!/usr/bin/env bash
# District targets benchmark (prints figures; it is not a test). Starts the
# whole system (Redis, the four services, the gateway) on free loopback
# ports, loads RECORDS synthetic records of each kind through the gateway
# (projects with a 2024 progress report each, leads with a funds entry per
# registered lead, facilities with a capacity reading each), then measures
# ListTargets of all 62 targets:
#   cold    the first answer after a write (which drops every cached answer),
#           timed end to end by the CLI, RUNS times
#   cached  h2load on the gateway, serial (1 connection x 1 stream) and
#           4 x 16; every response checked OK on the gateway's metrics
# Usage: tests/bench/targets.sh [RECORDS, default 100000] [seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" nghttp2-client
build_project >/dev/null

RECORDS=${1:-100000}
DURATION=${2:-8}
RUNS=5
WORK=$(mktemp -d /tmp/jiangan-targets-bench-XXXXXX)
source tests/bench/lib.sh
write_credentials "$WORK"

REDIS=$(free_port)
start redis redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK"
declare -A PORT
for service in renewal investment facilities targets; do
  PORT[$service]=$(free_port)
  extra=()
  [ "$service" = facilities ] && extra=(--renewal_address="127.0.0.1:${PORT[renewal]}")
  [ "$service" = targets ] && extra=(--targets_path=seed/2024/targets.json
    --renewal_address="127.0.0.1:${PORT[renewal]}" --investment_address="127.0.0.1:${PORT[investment]}"
    --facilities_address="127.0.0.1:${PORT[facilities]}")
  start "$service" "build/services/$service/${service}_server" --host=127.0.0.1 \
    --grpc_port="${PORT[$service]}" --http_port="$(free_port)" --db_path="$WORK/$service.db" \
    --identity_key_file="$WORK/identity.key" "${extra[@]}"
  wait_port "${PORT[$service]}"
done
GW=$(free_port); GW_HTTP=$(free_port)
wait_port "$REDIS"
start gateway build/gateway/gateway_server --host=127.0.0.1 --grpc_port="$GW" --http_port="$GW_HTTP" \
  --renewal_address="127.0.0.1:${PORT[renewal]}" --investment_address="127.0.0.1:${PORT[investment]}" \
  --facilities_address="127.0.0.1:${PORT[facilities]}" \
  --targets_address="127.0.0.1:${PORT[targets]}" --redis_address="127.0.0.1:$REDIS" \
  --principals_path="$WORK/principals.json" \
  --identity_key_file="$WORK/identity.key" --rate_limit_per_second=0
wait_port "$GW"
cli=(build/tools/jiangan_cli --target="127.0.0.1:$GW" --authorization="Bearer $ADMIN_TOKEN"
     --timeout=60s)

# Records: every synthetic project reports one month of 2024.
build/tools/jiangan_cli synthesize "$RECORDS" >"$WORK/projects.jsonl"
python3 - "$RECORDS" >"$WORK/reports.jsonl" <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"method": "/jiangan.renewal.v1.RenewalService/ReportProgress", "request": {
        "parent": f"projects/synthetic-{i}", "requestId": f"bench-report-{i}",
        "progressReport": {"period": f"2024-{i % 12 + 1:02d}", "percentComplete": 100,
                           "achieved": {"expropriationSignedSqm": str(100 + i % 900),
                                        "landParcels": str(i % 2)}}}}))
PY
build/tools/jiangan_cli synthesize-leads "$RECORDS" >"$WORK/leads.jsonl"
build/tools/jiangan_cli synthesize-funds "$RECORDS" 1 >"$WORK/funds.jsonl"
build/tools/jiangan_cli synthesize-facilities "$RECORDS" >"$WORK/facilities.jsonl"
build/tools/jiangan_cli synthesize-capacity "$RECORDS" >"$WORK/capacity.jsonl"
load_start=$(date +%s.%N)
# The three services load at once; each waits for its own loader.
loaders=()
( "${cli[@]}" --parallel=8 seed "$WORK/projects.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/reports.jsonl" >/dev/null ) &
loaders+=($!)
( "${cli[@]}" --parallel=8 seed "$WORK/leads.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/funds.jsonl" >/dev/null ) &
loaders+=($!)
( "${cli[@]}" --parallel=8 seed "$WORK/facilities.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/capacity.jsonl" >/dev/null ) &
loaders+=($!)
for loader in "${loaders[@]}"; do wait "$loader"; done
events=$(cat "$WORK/reports.jsonl" "$WORK/funds.jsonl" "$WORK/capacity.jsonl" | wc -l)
echo "loaded $((RECORDS * 3)) records and $events events in $(seconds_since "$load_start") s"

list='{"pageSize":100}'
"${cli[@]}" call jiangan.portfolio.v1.PortfolioService/ListTargets "$list" >"$WORK/targets.json"
echo "targets listed: $(grep -c '"name": "targets/' "$WORK/targets.json");" \
     "征收签约 actual: $(python3 -c 'import json,sys; print(next(t.get("actualValue") for t in json.load(open(sys.argv[1]))["targets"] if t["name"] == "targets/expropriation-signed"))' "$WORK/targets.json")"

# Cold: a write drops every cached answer; the next read computes anew.
cold=()
for run in $(seq 1 "$RUNS"); do
  "${cli[@]}" call jiangan.target_values.v1.TargetValuesService/RecordTargetValue \
    "{\"parent\":\"targets/gdp-growth\",\"targetValue\":{\"value\":\"6.$run\",\"asOf\":{\"year\":2024,\"month\":6,\"day\":30},\"evidence\":\"bench\"}}" >/dev/null
  started=$(date +%s%N)
  "${cli[@]}" call jiangan.portfolio.v1.PortfolioService/ListTargets "$list" >/dev/null
  cold+=($(( ($(date +%s%N) - started) / 1000000 )))
done
sleep 1  # the last fill lands in the background

build/tools/jiangan_cli frame jiangan.portfolio.v1.PortfolioService/ListTargets "$list" >"$WORK/list.bin"
H2LOAD_HEADERS=(-H "authorization: Bearer $ADMIN_TOKEN")
H2LOAD_CONNECTIONS=1; H2LOAD_STREAMS=1
measure_ok serial "$GW" jiangan.portfolio.v1.PortfolioService/ListTargets "$WORK/list.bin" \
  "$GW_HTTP" ListTargets 500
H2LOAD_CONNECTIONS=4; H2LOAD_STREAMS=16
measure_ok loaded "$GW" jiangan.portfolio.v1.PortfolioService/ListTargets "$WORK/list.bin" \
  "$GW_HTTP" ListTargets 2000

echo
echo "ListTargets (62 targets), $RECORDS records of each kind, $(nproc) cores shared by servers and client"
printf '%-34s %s\n' "cold, after a write (ms, $RUNS runs)" "$(printf '%s ' "${cold[@]}")"
printf '%-34s %s req/s, p50 %s ms, p99 %s ms\n' "cached, serial (1 x 1)" "${RPS[serial]}" \
  "${P50[serial]}" "${P99[serial]}"
printf '%-34s %s req/s, p50 %s ms, p99 %s ms\n' "cached, 4 connections x 16 streams" \
  "${RPS[loaded]}" "${P50[loaded]}" "${P99[loaded]}"
check_failures
