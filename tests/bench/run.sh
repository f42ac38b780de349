#!/usr/bin/env bash
# Benchmark harness (prints figures; it is not a test). In one run, on
# loopback, with h2load (16 connections x 64 streams, one client thread):
#   (a) a bare gRPC echo server built by the project (the floor)
#   (b) a cached GetProject through the gateway
#   (c) an uncached GetProject through the gateway (a second gateway, no Redis)
#   (d) the same read through nginx grpc_pass to the same service (the peer)
#   (e) the same read straight to the service
# and, serially (1 connection, 1 stream): (a1) the floor, (b1) the cached read;
# and over HTTP/1.1 keep-alive (16 connections, h2load --h1): (h) the cached
# read as JSON, GET /v1/projects/{id}.
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
source tests/bench/lib.sh
source scripts/lib/credentials.sh
write_credentials "$WORK"

REDIS=$(free_port); SERVICE=$(free_port); SERVICE_HTTP=$(free_port)
GW=$(free_port); GW_HTTP=$(free_port); GW2=$(free_port); GW2_HTTP=$(free_port)
ECHO=$(free_port); NGINX=$(free_port)

start redis redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no
start renewal build/services/renewal/renewal_server --host=127.0.0.1 --grpc_port="$SERVICE" \
  --http_port="$SERVICE_HTTP" --db_path="$WORK/renewal.db" --identity_key_file="$WORK/identity.key"
wait_port "$REDIS"; wait_port "$SERVICE"
gateway_flags=(--host=127.0.0.1 --renewal_address="127.0.0.1:$SERVICE"
               --principals_path="$WORK/principals.json"
               --identity_key_file="$WORK/identity.key" --rate_limit_per_second=0)
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

cli=(build/tools/jiangan_cli --target="127.0.0.1:$GW" --authorization="Bearer $ADMIN_TOKEN")
"${cli[@]}" call jiangan.renewal.v1.RenewalService/CreateProject \
  '{"projectId":"heinihu-village","requestId":"bench","project":{"displayName":"黑泥湖村城中村改造","kind":"URBAN_VILLAGE_REDEVELOPMENT"}}' >/dev/null
build/tools/jiangan_cli frame "$METHOD" '{"name":"projects/heinihu-village"}' >"$WORK/get.bin"
# Warm the cache.
"${cli[@]}" call "$METHOD" '{"name":"projects/heinihu-village"}' >/dev/null

# The gateway takes the bearer token; the service and nginx in front of it
# take the identity the gateway would assert, signed afresh for each run.
gateway_headers=(-H "authorization: Bearer $ADMIN_TOKEN")
renewal_pid=${pids[1]}; gateway_pid=${pids[2]}; nocache_pid=${pids[3]}; echo_pid=${pids[4]}
nginx_pids=($(cat "$WORK/nginx.pid") $(pgrep -P "$(cat "$WORK/nginx.pid")"))
SERVICE_PIDS=("$renewal_pid")
identity_headers "$WORK/identity.key"
measure_ok e "$SERVICE" "$METHOD" "$WORK/get.bin" "$SERVICE_HTTP" GetProject
identity_headers "$WORK/identity.key"
PROXY_PIDS=("${nginx_pids[@]}")
measure_ok d "$NGINX" "$METHOD" "$WORK/get.bin" "$SERVICE_HTTP" GetProject

H2LOAD_HEADERS=("${gateway_headers[@]}")
PROXY_PIDS=("$gateway_pid")
hits0=$(metric_sum "$GW_HTTP" 'gateway_cache_lookups_total\{result="(near_)?hit"\}')
measure_ok b "$GW" "$METHOD" "$WORK/get.bin" "$GW_HTTP" GetProject
hits1=$(metric_sum "$GW_HTTP" 'gateway_cache_lookups_total\{result="(near_)?hit"\}')
if [ $((hits1 - hits0)) -lt $(wc -l <"$WORK/b.tsv") ]; then
  echo "(b) reads not served from the cache" >&2
  failures=$((failures + 1))
fi
echo "(b) cache hits in the window: $((hits1 - hits0))"
PROXY_PIDS=("$nocache_pid")
measure_ok c "$GW2" "$METHOD" "$WORK/get.bin" "$GW2_HTTP" GetProject

PROXY_PIDS=("$gateway_pid")
H2LOAD_CONNECTIONS=1; H2LOAD_STREAMS=1
measure_ok b1 "$GW" "$METHOD" "$WORK/get.bin" "$GW_HTTP" GetProject 2000
H2LOAD_CONNECTIONS=16; H2LOAD_STREAMS=64
H2LOAD_MODE=http1
measure_ok h "$GW_HTTP" v1/projects/heinihu-village "" "$GW_HTTP" GetProject
H2LOAD_MODE=grpc

H2LOAD_HEADERS=()
PROXY_PIDS=(); SERVICE_PIDS=("$echo_pid")
measure a "$ECHO" "$METHOD" "$WORK/get.bin"
H2LOAD_CONNECTIONS=1; H2LOAD_STREAMS=1
measure a1 "$ECHO" "$METHOD" "$WORK/get.bin" 2000
H2LOAD_CONNECTIONS=16; H2LOAD_STREAMS=64
kill -TERM "$echo_pid"; wait "$echo_pid" 2>/dev/null || true
if ! grep -q "refused=0" "$WORK/echo.log"; then
  echo "(a) the echo server refused calls: $(cat "$WORK/echo.log")" >&2
  failures=$((failures + 1))
fi

echo
echo "GetProject, about $DURATION s per run, h2load -t1 -c16 -m64, $(nproc) cores shared with the client"
echo "CPU columns: microseconds of CPU per request in the proxy (gateway or nginx) and in"
echo "the service (or the echo server) over the run"
printf '%-48s %10s %8s %8s %7s %7s\n' "target" "req/s" "p50 ms" "p99 ms" "proxy" "service"
for key in a b c d e a1 b1 h; do
  case $key in
    a) label="(a) bare gRPC echo server (floor)" ;;
    b) label="(b) gateway, cached (near cache, Redis)" ;;
    c) label="(c) gateway, uncached (pass-through)" ;;
    d) label="(d) nginx grpc_pass to the service (peer)" ;;
    e) label="(e) the service directly" ;;
    a1) label="(a1) floor, serial 1x1" ;;
    b1) label="(b1) gateway cached, serial 1x1" ;;
    h) label="(h) gateway cached, HTTP/1.1 JSON, 16 conns" ;;
  esac
  printf '%-48s %10s %8s %8s %7s %7s\n' "$label" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" \
    "${PROXY_CPU[$key]}" "${SERVICE_CPU[$key]}"
done
echo
echo "b/a = $(ratio b a)   c/d = $(ratio c d)   c/e = $(ratio c e)   h/b = $(ratio h b)"
echo "serial p50: b1/a1 = $(awk -v x="${P50[b1]}" -v y="${P50[a1]}" 'BEGIN {printf "%.2f", x / y}')"
if [ "$failures" -ne 0 ]; then
  echo "CHECK FAILED: $failures run(s) had responses that were not grpc-status 0" >&2
  exit 1
fi
echo "every response: HTTP 200 and grpc-status 0 (checked on the servers' metrics)"
