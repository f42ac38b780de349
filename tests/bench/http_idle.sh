#!/usr/bin/env bash
# Benchmark (prints figures; it is not a test): the gateway's HTTP face with
# many idle connections. Starts Redis, a renewal service and a gateway on
# free loopback ports, opens CONNECTIONS (default 10,000) TCP connections to
# the HTTP port that send nothing, then times 200 normal requests (a cached
# GET of a project as JSON, keep-alive) on another connection, and the same
# 200 with no idle connections, for the ratio.
# Usage: tests/bench/http_idle.sh [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/bootstrap.sh
ensure_packages "${JIANGAN_PACKAGES[@]}" python3
build_project >/dev/null

CONNECTIONS=${1:-10000}
DURATION=1
WORK=$(mktemp -d /tmp/jiangan-bench-XXXXXX)
source tests/bench/lib.sh
write_credentials "$WORK"
REDIS=$(free_port); SERVICE=$(free_port); SERVICE_HTTP=$(free_port)
GW=$(free_port); GW_HTTP=$(free_port)
start redis redis-server --port "$REDIS" --bind 127.0.0.1 --save "" --appendonly no
start renewal build/services/renewal/renewal_server --host=127.0.0.1 --grpc_port="$SERVICE" \
  --http_port="$SERVICE_HTTP" --db_path="$WORK/renewal.db" --identity_key_file="$WORK/identity.key"
wait_port "$REDIS"; wait_port "$SERVICE"
start gateway build/gateway/gateway_server --host=127.0.0.1 --renewal_address="127.0.0.1:$SERVICE" \
  --principals_path="$WORK/principals.json" \
  --identity_key_file="$WORK/identity.key" --grpc_port="$GW" --http_port="$GW_HTTP" \
  --redis_address="127.0.0.1:$REDIS" --rate_limit_per_second=0
wait_port "$GW"; wait_port "$GW_HTTP"
build/tools/jiangan_cli --target="127.0.0.1:$GW" --authorization="Bearer $ADMIN_TOKEN" \
  call jiangan.renewal.v1.RenewalService/CreateProject \
  '{"projectId":"heinihu-village","requestId":"bench","project":{"displayName":"黑泥湖村城中村改造","kind":"URBAN_VILLAGE_REDEVELOPMENT"}}' >/dev/null

python3 - "$GW_HTTP" "$CONNECTIONS" "$ADMIN_TOKEN" <<'PY'
import http.client, resource, socket, sys, time
port, count, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

def timed(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", "/v1/projects/heinihu-village", headers={"authorization": "Bearer " + token})
        reply = conn.getresponse()
        reply.read()
        assert reply.status == 200, reply.status
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99)], times[-1]

timed(50)  # warm: cached from here on
base = timed(200)
idle = []
start = time.perf_counter()
for i in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    idle.append(s)
opened = time.perf_counter() - start
loaded = timed(200)
# Still open? A closed one reads as EOF at once.
for s in idle:
    s.setblocking(False)
alive = 0
for s in idle:
    try:
        s.recv(1)  # b"" means the server closed it
    except BlockingIOError:
        alive += 1  # open, nothing to read
print(f"opened {count} idle connections in {opened:.1f} s; {alive} still open after the run")
print(f"{'':28} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
print(f"{'no idle connections':28} {base[0]:8.2f} {base[1]:8.2f} {base[2]:8.2f}")
print(f"{str(count) + ' idle connections':28} {loaded[0]:8.2f} {loaded[1]:8.2f} {loaded[2]:8.2f}")
print(f"p50 ratio idle/none: {loaded[0] / base[0]:.2f}")
PY
