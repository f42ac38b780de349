#!/usr/bin/env bash
# District targets benchmark (prints figures; it is not a test). Starts the
# whole system (Redis, the four services, the gateway) on free loopback
# ports, loads RECORDS synthetic records of each kind through the gateway
# (created 500 to a batch; projects with a 2024 progress report each, leads
# with a funds entry per registered lead, facilities with a capacity reading
# each, one call per event), then measures
# ListTargets of all 62 targets and GetTarget (with its month-end trend) of
# one target per measuring service:
#   cold    the first answer after a write (which drops every cached answer),
#           timed end to end by the CLI, RUNS times
#   cached  h2load on the gateway, serial (1 connection x 1 stream) and
#           4 x 16; every response checked OK on the gateway's metrics
# Usage: tests/bench/targets.sh [RECORDS, default 100000] [seconds per run, default 8]
#   BENCH_ENGINE=postgres  the four services on one PostgreSQL 15 cluster
#   BENCH_DATA_FROM=DIR    skip the load: start on the records an earlier
#                          SQLite run of the same size left in DIR (its
#                          WORK folder, printed at the end): copies of its
#                          renewal.db, investment.db and facilities.db, or
#                          their rows copied into PostgreSQL
#   BENCH_LOAD=stores      load the same records and events straight through
#                          the stores, in process (tests/bench/load_stores.cc,
#                          the three services at once) into SQLite files,
#                          then start on them as BENCH_DATA_FROM does: for a
#                          million, where the gateway would take hours
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
BENCH_DATA_FROM=${BENCH_DATA_FROM:-}
if [ "${BENCH_LOAD:-}" = stores ] && [ -z "$BENCH_DATA_FROM" ]; then
  mkdir -p "$WORK/loaded"
  loaders=()
  for service in renewal investment facilities; do
    build/tests/load_stores --service="$service" --db_path="$WORK/loaded/$service.db" \
      --records="$RECORDS" >"$WORK/load-$service.log" 2>&1 &
    loaders+=($!)
  done
  for loader in "${loaders[@]}"; do wait "$loader"; done
  grep -hv '"level":"info"' "$WORK"/load-*.log
  BENCH_DATA_FROM=$WORK/loaded
fi

# use_database SERVICE: sets DATABASE_FLAG to where SERVICE keeps its data,
# made (and on SQLite filled from BENCH_DATA_FROM) before it starts.
use_database() {
  local service=$1 from="$BENCH_DATA_FROM/$1.db"
  if [ "$BENCH_ENGINE" != postgres ]; then
    if [ -n "$BENCH_DATA_FROM" ] && [ -f "$from" ]; then
      cp "$from" "$WORK/$service.db"
      if [ -f "$from-wal" ]; then cp "$from-wal" "$WORK/$service.db-wal"; fi
    fi
    DATABASE_FLAG="--db_path=$WORK/$service.db"
    return
  fi
  start_postgres "$service"
  DATABASE_FLAG="--database_url_file=$WORK/$service.url"
}
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
  use_database "$service"
  server=("build/services/$service/${service}_server" --host=127.0.0.1
    --grpc_port="${PORT[$service]}" --http_port="$(free_port)" "$DATABASE_FLAG"
    --identity_key_file="$WORK/identity.key" "${extra[@]}")
  if [ "$BENCH_ENGINE" = postgres ] && [ -f "$BENCH_DATA_FROM/$service.db" ]; then
    # Once to make the tables, then the file's rows copied in while it is down.
    "${server[@]}" >"$WORK/$service-first.log" 2>&1 &
    first=$!
    wait_port "${PORT[$service]}" 600
    kill -TERM "$first"; wait "$first" || true
    build/tools/jiangan_cli copy-to-postgres "$BENCH_DATA_FROM/$service.db" "$WORK/$service.url" | tail -1
  fi
  start "$service" "${server[@]}"
  # A copied file may first be migrated: new indexes over a million rows.
  migrate_start=$(date +%s.%N)
  wait_port "${PORT[$service]}" 1200
  [ -n "$BENCH_DATA_FROM" ] && echo "$service started in $(seconds_since "$migrate_start") s"
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

if [ -z "$BENCH_DATA_FROM" ]; then
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
( "${cli[@]}" --parallel=4 --batch=500 seed "$WORK/projects.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/reports.jsonl" >/dev/null ) &
loaders+=($!)
( "${cli[@]}" --parallel=4 --batch=500 seed "$WORK/leads.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/funds.jsonl" >/dev/null ) &
loaders+=($!)
( "${cli[@]}" --parallel=4 --batch=500 seed "$WORK/facilities.jsonl" >/dev/null &&
  "${cli[@]}" --parallel=8 seed "$WORK/capacity.jsonl" >/dev/null ) &
loaders+=($!)
for loader in "${loaders[@]}"; do wait "$loader"; done
events=$(cat "$WORK/reports.jsonl" "$WORK/funds.jsonl" "$WORK/capacity.jsonl" | wc -l)
echo "loaded $((RECORDS * 3)) records and $events events in $(seconds_since "$load_start") s"
fi
for service in renewal investment facilities; do
  if [ "$BENCH_ENGINE" = postgres ]; then
    /usr/lib/postgresql/15/bin/psql -q "$(cat "$WORK/$service.url")" -c "VACUUM ANALYZE"
  fi
done
sync

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

# GetTarget with its trend (one question per month of 2024 before), cold,
# for a target of each measuring service.
declare -A GET_COLD
for target in expropriation-signed industrial-funds-arrived parking-spaces; do
  times=()
  for run in $(seq 1 "$RUNS"); do
    "${cli[@]}" call jiangan.target_values.v1.TargetValuesService/RecordTargetValue \
      "{\"parent\":\"targets/gdp-growth\",\"targetValue\":{\"value\":\"7.$run\",\"asOf\":{\"year\":2024,\"month\":7,\"day\":31},\"evidence\":\"bench\"}}" >/dev/null
    started=$(date +%s%N)
    "${cli[@]}" call jiangan.portfolio.v1.PortfolioService/GetTarget "{\"name\":\"targets/$target\"}" \
      >"$WORK/get.json"
    times+=($(( ($(date +%s%N) - started) / 1000000 )))
  done
  months=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("trend", [])))' \
    "$WORK/get.json")
  GET_COLD[$target]="${times[*]} (trend of $months months)"
done

build/tools/jiangan_cli frame jiangan.portfolio.v1.PortfolioService/ListTargets "$list" >"$WORK/list.bin"
H2LOAD_HEADERS=(-H "authorization: Bearer $ADMIN_TOKEN")
H2LOAD_CONNECTIONS=1; H2LOAD_STREAMS=1
measure_ok serial "$GW" jiangan.portfolio.v1.PortfolioService/ListTargets "$WORK/list.bin" \
  "$GW_HTTP" ListTargets 500
H2LOAD_CONNECTIONS=4; H2LOAD_STREAMS=16
measure_ok loaded "$GW" jiangan.portfolio.v1.PortfolioService/ListTargets "$WORK/list.bin" \
  "$GW_HTTP" ListTargets 2000

echo
echo "ListTargets (62 targets), $RECORDS records of each kind, $BENCH_ENGINE, $(nproc) cores shared by servers and client"
printf '%-34s %s\n' "cold, after a write (ms, $RUNS runs)" "$(printf '%s ' "${cold[@]}")"
printf '%-34s %s req/s, p50 %s ms, p99 %s ms\n' "cached, serial (1 x 1)" "${RPS[serial]}" \
  "${P50[serial]}" "${P99[serial]}"
printf '%-34s %s req/s, p50 %s ms, p99 %s ms\n' "cached, 4 connections x 16 streams" \
  "${RPS[loaded]}" "${P50[loaded]}" "${P99[loaded]}"
for target in "${!GET_COLD[@]}"; do
  printf '%-34s %s\n' "GetTarget $target cold (ms)" "${GET_COLD[$target]}"
done
echo "data left in $WORK (BENCH_DATA_FROM=$WORK measures it again)"
check_failures
