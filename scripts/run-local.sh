#!/usr/bin/env bash
# Runs the whole system on this machine: Redis, the four services and the
# gateway, with data under .local/ (kept between runs), loaded with the
# district's 2024 portfolio. Ctrl-C stops everything cleanly.
# Ports can be changed through the environment, e.g. GATEWAY_HTTP_PORT=9080.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}"
build_project

GATEWAY_GRPC_PORT=${GATEWAY_GRPC_PORT:-50050}
GATEWAY_HTTP_PORT=${GATEWAY_HTTP_PORT:-8080}
RENEWAL_PORT=${RENEWAL_PORT:-50051}
INVESTMENT_PORT=${INVESTMENT_PORT:-50052}
FACILITIES_PORT=${FACILITIES_PORT:-50053}
TARGETS_PORT=${TARGETS_PORT:-50054}
SUPERVISION_PORT=${SUPERVISION_PORT:-50055}
REDIS_PORT=${REDIS_PORT:-6380}
# Admin ports of the services (/healthz, /metrics).
RENEWAL_HTTP_PORT=${RENEWAL_HTTP_PORT:-8081}
INVESTMENT_HTTP_PORT=${INVESTMENT_HTTP_PORT:-8082}
FACILITIES_HTTP_PORT=${FACILITIES_HTTP_PORT:-8083}
TARGETS_HTTP_PORT=${TARGETS_HTTP_PORT:-8084}
SUPERVISION_HTTP_PORT=${SUPERVISION_HTTP_PORT:-8085}

LOCAL=.local
mkdir -p "$LOCAL/data" "$LOCAL/logs" "$LOCAL/redis"

# Credentials, made once and kept (see scripts/lib/credentials.sh).
source scripts/lib/credentials.sh
write_credentials "$LOCAL"

# The targets service took over the target values service's data: values
# recorded before keep standing.
if [ -f "$LOCAL/data/target_values.db" ] && [ ! -f "$LOCAL/data/targets.db" ]; then
  for suffix in "" -wal -shm; do
    [ -f "$LOCAL/data/target_values.db$suffix" ] &&
      mv "$LOCAL/data/target_values.db$suffix" "$LOCAL/data/targets.db$suffix"
  done
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in $GATEWAY_GRPC_PORT $GATEWAY_HTTP_PORT $RENEWAL_PORT $INVESTMENT_PORT \
            $FACILITIES_PORT $REDIS_PORT $RENEWAL_HTTP_PORT $INVESTMENT_HTTP_PORT \
            $FACILITIES_HTTP_PORT $TARGETS_PORT $TARGETS_HTTP_PORT \
            $SUPERVISION_PORT $SUPERVISION_HTTP_PORT; do
  if port_open "$port"; then
    echo "Port $port is already in use; stop what uses it or choose another port." >&2
    exit 1
  fi
done

pids=()
stopping=0
stop_all() {
  trap - INT TERM EXIT
  stopping=1
  echo
  echo "Stopping ..."
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "Stopped. Data is kept in $LOCAL/."
}
trap stop_all INT TERM EXIT

# start NAME PORT COMMAND...: starts a server, logs to .local/logs/NAME.log
# and waits until PORT accepts connections.
start() {
  local name=$1 port=$2
  shift 2
  "$@" >"$LOCAL/logs/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    port_open "$port" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; see $LOCAL/logs/$name.log:" >&2
  tail -n 20 "$LOCAL/logs/$name.log" >&2
  exit 1
}

start redis "$REDIS_PORT" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
  --save "" --appendonly no --dir "$LOCAL/redis"
for service in renewal investment facilities targets supervision; do
  upper=${service^^}
  grpc_var=${upper}_PORT http_var=${upper}_HTTP_PORT
  extra=()
  # Facilities checks the renewal projects its facilities name.
  [ "$service" = facilities ] && extra=(--renewal_address="127.0.0.1:$RENEWAL_PORT")
  # The targets service reads the catalog and asks the other three.
  [ "$service" = targets ] && extra=(--targets_path=seed/2024/targets.json
    --renewal_address="127.0.0.1:$RENEWAL_PORT" --investment_address="127.0.0.1:$INVESTMENT_PORT"
    --facilities_address="127.0.0.1:$FACILITIES_PORT")
  # Supervision counts deadlines on the official calendar and asks all four
  # about the records its tickets name.
  [ "$service" = supervision ] && extra=(--calendar_path=seed/calendar/official.json
    --renewal_address="127.0.0.1:$RENEWAL_PORT" --investment_address="127.0.0.1:$INVESTMENT_PORT"
    --facilities_address="127.0.0.1:$FACILITIES_PORT" --targets_address="127.0.0.1:$TARGETS_PORT")
  start "$service" "${!grpc_var}" "build/services/$service/${service}_server" \
    --host=127.0.0.1 --grpc_port="${!grpc_var}" --http_port="${!http_var}" \
    --db_path="$LOCAL/data/$service.db" --identity_key_file="$LOCAL/identity.key" "${extra[@]}"
done
start gateway "$GATEWAY_GRPC_PORT" build/gateway/gateway_server \
  --host=127.0.0.1 --grpc_port="$GATEWAY_GRPC_PORT" --http_port="$GATEWAY_HTTP_PORT" \
  --renewal_address="127.0.0.1:$RENEWAL_PORT" \
  --investment_address="127.0.0.1:$INVESTMENT_PORT" \
  --facilities_address="127.0.0.1:$FACILITIES_PORT" \
  --targets_address="127.0.0.1:$TARGETS_PORT" \
  --supervision_address="127.0.0.1:$SUPERVISION_PORT" \
  --redis_address="127.0.0.1:$REDIS_PORT" \
  --principals_path="$LOCAL/principals.json" --identity_key_file="$LOCAL/identity.key"

# Seed creates carry fixed request_ids, so running again adds nothing.
build/tools/jiangan_cli --target="127.0.0.1:$GATEWAY_GRPC_PORT" \
  --authorization="Bearer $ADMIN_TOKEN" seed seed/2024/portfolio.jsonl
build/tools/jiangan_cli --target="127.0.0.1:$GATEWAY_GRPC_PORT" \
  --authorization="Bearer $ADMIN_TOKEN" seed seed/2024/investment.jsonl
# Who answers for each target the report names no department for: local
# assignments by function, marked as such, for an ADMIN to confirm.
build/tools/jiangan_cli --target="127.0.0.1:$GATEWAY_GRPC_PORT" \
  --authorization="Bearer $ADMIN_TOKEN" seed seed/2024/departments.jsonl

cat <<INFO

Jiang'an Portfolio is running (logs in $LOCAL/logs, data in $LOCAL/data).
  gateway gRPC   127.0.0.1:$GATEWAY_GRPC_PORT   (all APIs; server reflection on)
  dashboard      http://127.0.0.1:$GATEWAY_HTTP_PORT/   (sign in with a token below)
  gateway HTTP   http://127.0.0.1:$GATEWAY_HTTP_PORT   (/v1/..., /healthz, /metrics)
  renewal        127.0.0.1:$RENEWAL_PORT   metrics http://127.0.0.1:$RENEWAL_HTTP_PORT/metrics
  investment     127.0.0.1:$INVESTMENT_PORT   metrics http://127.0.0.1:$INVESTMENT_HTTP_PORT/metrics
  facilities     127.0.0.1:$FACILITIES_PORT   metrics http://127.0.0.1:$FACILITIES_HTTP_PORT/metrics
  targets        127.0.0.1:$TARGETS_PORT   metrics http://127.0.0.1:$TARGETS_HTTP_PORT/metrics
  supervision    127.0.0.1:$SUPERVISION_PORT   metrics http://127.0.0.1:$SUPERVISION_HTTP_PORT/metrics
  redis          127.0.0.1:$REDIS_PORT

Callers (tokens in $LOCAL/tokens.env): admin, an editor of 区住房和城市更新局, a viewer.
Try:
  curl -H "Authorization: Bearer $VIEWER_TOKEN" http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/projects/heinihu-village
  curl -H "Authorization: Bearer $VIEWER_TOKEN" 'http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/leads:summarize?group_by=BY_INDUSTRY&funds_year=2024'
  curl -H "Authorization: Bearer $VIEWER_TOKEN" 'http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/facilities:summarize?group_by=BY_KIND'
  curl -H "Authorization: Bearer $VIEWER_TOKEN" http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/targets/expropriation-signed
  curl -H "Authorization: Bearer $VIEWER_TOKEN" 'http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/targets?filter.healths=RED&page_size=100'
  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/targets/gdp-growth:recordTargetValue \
    -d '{"value":"6.1","asOf":{"year":2024,"month":6,"day":30},"evidence":"区统计局二季度快报"}'
  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/tickets \
    -d '{"title":"关于加快黑泥湖村征收签约的督办单","subject":{"resource":"projects/heinihu-village"},"demand":"5个工作日内完成剩余签约并反馈","assigneeDepartment":"区住房和城市更新局","timeLimitWorkingDays":5}'
  curl -H "Authorization: Bearer $VIEWER_TOKEN" 'http://127.0.0.1:$GATEWAY_HTTP_PORT/v1/tickets?filter.lamps=RED'
  build/tools/jiangan_cli --target=127.0.0.1:$GATEWAY_GRPC_PORT --authorization="Bearer $VIEWER_TOKEN" \\
    call jiangan.renewal.v1.RenewalService/SummarizeProjects '{"groupBy":["BY_KIND"]}'

Press Ctrl-C to stop.
INFO

# Runs until Ctrl-C, or until a server exits on its own.
set +e
wait -n "${pids[@]}"
if [ "$stopping" -eq 0 ]; then
  echo "A server exited on its own; see $LOCAL/logs. Stopping the rest." >&2
  exit 1
fi
