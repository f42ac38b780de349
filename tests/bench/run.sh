#!/usr/bin/env bash
# Benchmark harness (prints figures; it is not a test). In one run, on
# loopback, with h2load (16 connections x 64 streams, one client thread):
#   (a) a bare gRPC echo server built by the project (the floor)
#   (b) a cached GetProject through the gateway
#   (c) an uncached GetProject through the gateway (a second gateway, no Redis)
#   (d) the same read through nginx grpc_pass to the same service (the peer)
#   (e) the same read straight to the service
# h2load cannot see gRPC trailers, so each run also checks, from the server
# side, that every response had grpc-status 0: every HTTP status is 200 and
# the server's metrics show only OK statuses for the method in the window.
# Usage: tests/bench/run.sh [about this many seconds per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" nghttp2-client nginx-light
build_project >/dev/null

DURATION=${1:-8}
WORK=$(mktemp -d /tmp/jiangan-bench-XXXXXX)
METHOD=jiangan.renewal.v1.RenewalService/GetProject
pids=()
cleanup() {
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 20000))  # below the ephemeral range (32768+)
    port_open "$port" || { echo "$port"; return; }
  done
}
wait_port() {
  for _ in $(seq 1 100); do port_open "$1" && return 0; sleep 0.1; done
  echo "nothing listens on $1" >&2
  exit 1
}
start() { # name command...
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
}
http_get() { # port path
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$2" >&3
  cat <&3
  exec 3<&-
}
# Sum of the metric lines of `port` that match the extended regex.
metric_sum() {
  http_get "$1" /metrics | { grep -E "$2" || true; } | awk '{s += $NF} END {printf "%d", s}'
}

REDIS=$(free_port); SERVICE=$(free_port); SERVICE_HTTP=$(free_port)
GW=$(free_port); GW_HTTP=$(free_port); GW2=$(free_port); GW2_HTTP=$(free_port)
ECHO=$(free_port); NGINX=$(free_port)

start redis redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no
start renewal build/services/renewal/renewal_server --host=127.0.0.1 --grpc_port="$SERVICE" \
  --http_port="$SERVICE_HTTP" --db_path="$WORK/renewal.db"
wait_port "$REDIS"; wait_port "$SERVICE"
gateway_flags=(--host=127.0.0.1 --renewal_address="127.0.0.1:$SERVICE"
               --targets_path=seed/2024/targets.json)
start gateway build/gateway/gateway_server "${gateway_flags[@]}" --grpc_port="$GW" \
  --http_port="$GW_HTTP" --redis_address="127.0.0.1:$REDIS"
start gateway-nocache build/gateway/gateway_server "${gateway_flags[@]}" --grpc_port="$GW2" \
  --http_port="$GW2_HTTP" --redis_address=
start echo build/tests/echo_server --port="$ECHO"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  # nginx closes an HTTP/2 connection after 1000 requests by default and
  # h2load does not reconnect; a peer tuned for the load is the fair one.
  keepalive_requests 10000000;
  upstream renewal {
    server 127.0.0.1:$SERVICE;
    keepalive 1024;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$NGINX http2;
    location / { grpc_pass grpc://renewal; }
  }
}
NGINX
nginx -p "$WORK" -c "$WORK/nginx.conf"
for port in "$GW" "$GW2" "$ECHO" "$NGINX"; do wait_port "$port"; done

build/tools/jiangan_cli --target="127.0.0.1:$GW" call jiangan.renewal.v1.RenewalService/CreateProject \
  '{"projectId":"heinihu-village","requestId":"bench","project":{"displayName":"黑泥湖村城中村改造","kind":"URBAN_VILLAGE_REDEVELOPMENT"}}' >/dev/null
build/tools/jiangan_cli frame "$METHOD" '{"name":"projects/heinihu-village"}' >"$WORK/get.bin"
# Warm the cache.
build/tools/jiangan_cli --target="127.0.0.1:$GW" call "$METHOD" '{"name":"projects/heinihu-village"}' >/dev/null

declare -A RPS P50 P99
failures=0
# h2load against PORT; extra arguments go to h2load.
h2load_run() {
  local port=$1
  shift
  h2load -t 1 -c 16 -m 64 -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$WORK/get.bin" "$@" "http://127.0.0.1:$port/$METHOD"
}
# measure KEY PORT: records req/s, p50 and p99 (ms). A short probe warms up
# and sizes the run; the run is count-based so that no stream is cut off
# mid-flight (a timed h2load run cancels whatever is in flight when it ends).
measure() {
  local key=$1 port=$2 out log probe_rps requests count non200
  out="$WORK/$key.h2load"
  log="$WORK/$key.tsv"
  probe_rps=$(h2load_run "$port" -n 5000 | grep -oE '[0-9.]+ req/s' | awk '{print int($1)}')
  requests=$(( probe_rps * DURATION > 20000 ? probe_rps * DURATION : 20000 ))
  h2load_run "$port" -n "$requests" --log-file="$log" >"$out" 2>&1
  RPS[$key]=$(grep -oE 'finished in [0-9.]+s, [0-9.]+ req/s' "$out" | awk '{print $4}')
  count=$(wc -l <"$log")
  non200=$(awk -F'\t' '$2 != 200' "$log" | wc -l)
  read -r P50[$key] P99[$key] < <(cut -f3 "$log" | sort -n | awk -v n="$count" '
      NR == int(n * 0.50 + 0.999) {p50 = $1}
      NR == int(n * 0.99 + 0.999) {p99 = $1}
      END {printf "%.2f %.2f\n", p50 / 1000, p99 / 1000}')
  if [ "$non200" -ne 0 ] || [ "$count" -ne "$requests" ] ||
     ! grep -qE " $requests succeeded, 0 failed, 0 errored" "$out"; then
    echo "($key) not every request got an HTTP 200 response:" >&2
    grep -E '^requests:' "$out" >&2
    failures=$((failures + 1))
  fi
  echo "($key) $count responses"
}
# GetProject calls a server answered, by any status, and the OK ones: in a
# window, the two must grow alike.
answered() { metric_sum "$1" 'grpc_method="GetProject",grpc_code="[A-Z_]+"\}'; }
ok() { metric_sum "$1" 'grpc_method="GetProject",grpc_code="OK"\}'; }

svc_ok0=$(ok "$SERVICE_HTTP"); svc_all0=$(answered "$SERVICE_HTTP")
measure e "$SERVICE"
measure d "$NGINX"
svc_ok1=$(ok "$SERVICE_HTTP"); svc_all1=$(answered "$SERVICE_HTTP")
if [ $((svc_all1 - svc_all0)) -ne $((svc_ok1 - svc_ok0)) ]; then
  echo "(d,e) the service answered $((svc_all1 - svc_all0 - svc_ok1 + svc_ok0)) calls with a non-OK status" >&2
  failures=$((failures + 1))
fi

gw_ok0=$(ok "$GW_HTTP"); gw_all0=$(answered "$GW_HTTP")
hits0=$(metric_sum "$GW_HTTP" 'gateway_cache_lookups_total\{result="hit"\}')
measure b "$GW"
gw_ok1=$(ok "$GW_HTTP"); gw_all1=$(answered "$GW_HTTP")
hits1=$(metric_sum "$GW_HTTP" 'gateway_cache_lookups_total\{result="hit"\}')
if [ $((gw_all1 - gw_all0)) -ne $((gw_ok1 - gw_ok0)) ] || [ $((hits1 - hits0)) -lt $(wc -l <"$WORK/b.tsv") ]; then
  echo "(b) non-OK statuses or reads not served from the cache" >&2
  failures=$((failures + 1))
fi
echo "(b) cache hits in the window: $((hits1 - hits0))"

gw2_ok0=$(ok "$GW2_HTTP"); gw2_all0=$(answered "$GW2_HTTP")
measure c "$GW2"
gw2_ok1=$(ok "$GW2_HTTP"); gw2_all1=$(answered "$GW2_HTTP")
if [ $((gw2_all1 - gw2_all0)) -ne $((gw2_ok1 - gw2_ok0)) ]; then
  echo "(c) the uncached gateway answered calls with a non-OK status" >&2
  failures=$((failures + 1))
fi

measure a "$ECHO"
echo_pid=${pids[4]}
kill -TERM "$echo_pid"; wait "$echo_pid" 2>/dev/null || true
if ! grep -q "refused=0" "$WORK/echo.log"; then
  echo "(a) the echo server refused calls: $(cat "$WORK/echo.log")" >&2
  failures=$((failures + 1))
fi

ratio() { awk -v x="${RPS[$1]}" -v y="${RPS[$2]}" 'BEGIN {printf "%.2f", x / y}'; }
echo
echo "GetProject, about $DURATION s per run, h2load -t1 -c16 -m64, $(nproc) cores shared with the client"
printf '%-48s %12s %10s %10s\n' "target" "req/s" "p50 ms" "p99 ms"
for key in a b c d e; do
  case $key in
    a) label="(a) bare gRPC echo server (floor)" ;;
    b) label="(b) gateway, cached in Redis" ;;
    c) label="(c) gateway, uncached (pass-through)" ;;
    d) label="(d) nginx grpc_pass to the service (peer)" ;;
    e) label="(e) the service directly" ;;
  esac
  printf '%-48s %12s %10s %10s\n' "$label" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}"
done
echo
echo "b/a = $(ratio b a)   c/d = $(ratio c d)   c/e = $(ratio c e)"
if [ "$failures" -ne 0 ]; then
  echo "CHECK FAILED: $failures run(s) had responses that were not grpc-status 0" >&2
  exit 1
fi
echo "every response: HTTP 200 and grpc-status 0 (checked on the servers' metrics)"
