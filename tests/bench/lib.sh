# Sourced by the benchmark scripts: servers on free loopback ports, h2load
# runs of one gRPC request, and the checks that every response was OK.
# The caller sets WORK (a scratch folder) and DURATION (seconds per run).
source scripts/lib/credentials.sh

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
wait_port() { # PORT [SECONDS, default 10]
  for _ in $(seq 1 $((${2:-10} * 10))); do port_open "$1" && return 0; sleep 0.1; done
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
# Calls of METHOD (e.g. GetProject) that the server on admin PORT answered,
# by any status, and the OK ones: in a window, the two must grow alike.
answered() { metric_sum "$1" "grpc_method=\"$2\",grpc_code=\"[A-Z_]+\"\\}"; }
ok() { metric_sum "$1" "grpc_method=\"$2\",grpc_code=\"OK\"\\}"; }

declare -A RPS P50 P99 PROXY_CPU SERVICE_CPU
failures=0
# The processes whose CPU time a run charges to the proxy (the gateway or
# nginx) and to the service; the caller sets them before each run. On a
# shared machine req/s moves with the neighbours; CPU per request does not.
PROXY_PIDS=()
SERVICE_PIDS=()
# Clock ticks of user and system time the processes have used.
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
# Microseconds of CPU per request: ticks over a count of requests.
cpu_per_request() {
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t * 1e6 / hz / n}'
}
# What the h2load runs send; the caller may change them between runs.
H2LOAD_CONNECTIONS=16
H2LOAD_STREAMS=64
H2LOAD_HEADERS=()  # e.g. (-H 'authorization: Bearer ...')
# grpc: POSTs of a gRPC frame over HTTP/2; http1: GETs over HTTP/1.1
# keep-alive (one request at a time per connection; FRAME is unused).
H2LOAD_MODE=grpc

# h2load of the request frame FRAME on PATH at PORT; extra arguments go to
# h2load.
h2load_run() {
  local port=$1 path=$2 frame=$3
  shift 3
  if [ "$H2LOAD_MODE" = http1 ]; then
    h2load --h1 -t 1 -c "$H2LOAD_CONNECTIONS" -m 1 "${H2LOAD_HEADERS[@]}" "$@" \
      "http://127.0.0.1:$port/$path"
    return
  fi
  h2load -t 1 -c "$H2LOAD_CONNECTIONS" -m "$H2LOAD_STREAMS" \
    -H 'content-type: application/grpc' -H 'te: trailers' "${H2LOAD_HEADERS[@]}" \
    -d "$frame" "$@" "http://127.0.0.1:$port/$path"
}

# measure KEY PORT PATH FRAME [PROBE]: records req/s, p50 and p99 (ms) in
# RPS, P50, P99. A short probe of PROBE requests (default 5000) warms up and
# sizes the run to about DURATION seconds; the run is count-based so that
# no stream is cut off mid-flight (a timed h2load run cancels whatever is in
# flight when it ends). Counts a failure unless every response was HTTP 200.
measure() {
  local key=$1 port=$2 path=$3 frame=$4 probe=${5:-5000} out log probe_rps requests count non200
  out="$WORK/$key.h2load"
  log="$WORK/$key.tsv"
  probe_rps=$(h2load_run "$port" "$path" "$frame" -n "$probe" |
              grep -oE '[0-9.]+ req/s' | awk '{print int($1)}')
  requests=$(( probe_rps * DURATION > probe * 4 ? probe_rps * DURATION : probe * 4 ))
  local proxy0 service0
  proxy0=$(cpu_ticks "${PROXY_PIDS[@]}"); service0=$(cpu_ticks "${SERVICE_PIDS[@]}")
  h2load_run "$port" "$path" "$frame" -n "$requests" --log-file="$log" >"$out" 2>&1
  PROXY_CPU[$key]=$(cpu_per_request $(($(cpu_ticks "${PROXY_PIDS[@]}") - proxy0)) "$requests")
  SERVICE_CPU[$key]=$(cpu_per_request $(($(cpu_ticks "${SERVICE_PIDS[@]}") - service0)) "$requests")
  RPS[$key]=$(grep -oE 'finished in [0-9.]+m?s, [0-9.]+ req/s' "$out" | awk '{print $4}')
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

# measure_ok KEY PORT PATH FRAME ADMIN_PORT METHOD [PROBE]: measure, then
# check on the server's metrics that every call of METHOD in the window
# ended with grpc-status OK (h2load cannot see gRPC trailers).
measure_ok() {
  local key=$1 port=$2 path=$3 frame=$4 admin=$5 method=$6 probe=${7:-5000}
  local ok0 all0 ok1 all1
  ok0=$(ok "$admin" "$method"); all0=$(answered "$admin" "$method")
  measure "$key" "$port" "$path" "$frame" "$probe"
  ok1=$(ok "$admin" "$method"); all1=$(answered "$admin" "$method")
  if [ $((all1 - all0)) -ne $((ok1 - ok0)) ]; then
    echo "($key) $((all1 - all0 - ok1 + ok0)) calls ended with a non-OK status" >&2
    failures=$((failures + 1))
  fi
}

# Sets H2LOAD_HEADERS to the identity a gateway would assert, signed afresh
# with the key file $1 (an assertion is good for five minutes).
identity_headers() {
  local line
  H2LOAD_HEADERS=()
  while IFS= read -r line; do H2LOAD_HEADERS+=(-H "$line"); done < <(
    build/tools/jiangan_cli identity --identity_key_file="$1")
}

# BENCH_ENGINE=postgres puts the service on PostgreSQL 15 (a cluster made in
# WORK with initdb, durable as a real one: fsync on) instead of its SQLite
# file; the SQLite floor is not run then.
BENCH_ENGINE=${BENCH_ENGINE:-sqlite}
# BENCH_COPY_FROM=FILE: instead of loading through the service, starts it
# on the records of FILE, the SQLite file an earlier run of the same
# benchmark and size loaded (it is left in that run's folder): on SQLite a
# copy of the file, on PostgreSQL its rows copied in with jiangan_cli
# copy-to-postgres. So both engines, or two builds, are measured on the same
# data, and a million records without hours of single-writer loading.
BENCH_COPY_FROM=${BENCH_COPY_FROM:-}
if [ -n "$BENCH_COPY_FROM" ] && [ ! -f "$BENCH_COPY_FROM" ]; then
  echo "BENCH_COPY_FROM: no file $BENCH_COPY_FROM" >&2
  exit 2
fi
# start_postgres NAME: the cluster on a free port, a database NAME in it, and
# its URL in WORK/NAME.url; as root, PostgreSQL runs as user postgres.
# A second call makes only the database, in the cluster the first made.
start_postgres() {
  local name=$1 bin=/usr/lib/postgresql/15/bin as=()
  if [ -n "${PG_PORT:-}" ]; then
    "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $name"
    echo "postgresql://postgres@127.0.0.1:$PG_PORT/$name" >"$WORK/$name.url"
    return
  fi
  PG_PORT=$(free_port)
  mkdir -p "$WORK/pg"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$WORK"; chown postgres "$WORK/pg"; as=(setpriv --reuid=postgres --regid=postgres --init-groups)
  fi
  "${as[@]}" "$bin/initdb" -D "$WORK/pg/data" -U postgres -A trust --no-locale -E UTF8 >"$WORK/initdb.log"
  start postgres "${as[@]}" "$bin/postgres" -D "$WORK/pg/data" -p "$PG_PORT" -h 127.0.0.1 -k "" \
    -c shared_buffers=1GB -c max_wal_size=4GB
  wait_port "$PG_PORT"
  until "$bin/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $name" 2>/dev/null; do
    sleep 0.2
  done
  echo "postgresql://postgres@127.0.0.1:$PG_PORT/$name" >"$WORK/$name.url"
}

# start_service NAME: credentials in WORK, then the service NAME on free
# loopback ports (SERVICE, SERVICE_HTTP) with its database in WORK (or on
# PostgreSQL, see BENCH_ENGINE); sets `cli` to a jiangan_cli that talks to
# it as the gateway would, and seconds_since START for load timings.
start_service() {
  local name=$1
  local database=(--db_path="$WORK/$name.db")
  write_credentials "$WORK"
  if [ "$BENCH_ENGINE" = postgres ]; then
    start_postgres "$name"
    database=(--database_url_file="$WORK/$name.url")
  fi
  SERVICE=$(free_port); SERVICE_HTTP=$(free_port)
  local server=("build/services/$name/${name}_server" --host=127.0.0.1 --grpc_port="$SERVICE"
                --http_port="$SERVICE_HTTP" "${database[@]}" --identity_key_file="$WORK/identity.key")
  if [ -n "$BENCH_COPY_FROM" ] && [ "$BENCH_ENGINE" != postgres ]; then
    cp "$BENCH_COPY_FROM" "$WORK/$name.db"
    [ -f "$BENCH_COPY_FROM-wal" ] && cp "$BENCH_COPY_FROM-wal" "$WORK/$name.db-wal"
    echo "started on a copy of $BENCH_COPY_FROM"
  elif [ -n "$BENCH_COPY_FROM" ]; then
    # Once to make the tables, then the file's rows copied in while it is down.
    "${server[@]}" >"$WORK/$name-first.log" 2>&1 &
    local first=$!
    wait_port "$SERVICE"
    kill -TERM "$first"; wait "$first" || true
    build/tools/jiangan_cli copy-to-postgres "$BENCH_COPY_FROM" "$WORK/$name.url" | tail -1
  fi
  start "$name" "${server[@]}"
  SERVICE_PIDS=("${pids[-1]}")
  # A copied file may first be migrated: new indexes over a million rows.
  wait_port "$SERVICE" 600
  cli=(build/tools/jiangan_cli --target="127.0.0.1:$SERVICE" --identity_key_file="$WORK/identity.key")
}

# load FILE CLI_ARGS...: seeds FILE through the service with the CLI and
# says how long it took, unless BENCH_COPY_FROM copied the data in.
load() {
  local file=$1 start_time
  shift
  [ -n "$BENCH_COPY_FROM" ] && return 0
  start_time=$(date +%s.%N)
  "${cli[@]}" "$@" seed "$file"
  echo "loaded in $(seconds_since "$start_time") s: jiangan_cli $* seed $(basename "$file")"
}
# after_load NAME: on PostgreSQL, what an operator runs after a bulk import
# (README, "Operating it"): VACUUM ANALYZE, so that the planner knows the
# tables' new sizes now rather than when autovacuum next looks; measuring
# before that measures stale statistics. SQLite plans without them. On both,
# the load's (or the copy's) writes are flushed first, so that the kernel
# does not write them out during the measurements.
after_load() {
  sync
  if [ "$BENCH_ENGINE" = postgres ]; then
    local start_time
    start_time=$(date +%s.%N)
    /usr/lib/postgresql/15/bin/psql -q "$(cat "$WORK/$1.url")" -c "VACUUM ANALYZE"
    echo "VACUUM ANALYZE after the load: $(seconds_since "$start_time") s"
  fi
}
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }

ratio() { awk -v x="${RPS[$1]}" -v y="${RPS[$2]}" 'BEGIN {printf "%.2f", x / y}'; }

# run_floor FLOOR_ARGS...: runs tests/bench/sqlite_floor with FLOOR_ARGS on
# the service's own file and records its rows as RPS/P50/P99[floor_KEY].
run_floor() {
  local key rps p50 p99
  build/tests/sqlite_floor "$@" --duration="${DURATION}s" --threads="$(nproc)" >"$WORK/floor.txt"
  while read -r key rps p50 p99; do
    RPS[floor_$key]=$rps; P50[floor_$key]=$p50; P99[floor_$key]=$p99
  done <"$WORK/floor.txt"
}

# table_row LABEL KEY FLOOR_KEY: one row of a service-beside-floor table;
# the service's CPU per request last, which neighbours on a shared machine
# move less than req/s.
table_row() {
  printf '%-14s %12s %9s %9s   %12s %9s %9s   %-14s %s\n' "$1" "${RPS[$2]}" "${P50[$2]}" \
    "${P99[$2]}" "${RPS[$3]}" "${P50[$3]}" "${P99[$3]}" "$(ratio "$2" "$3")" "${SERVICE_CPU[$2]}"
}

table_header() { # FLOOR_LABEL
  printf '%-14s %12s %9s %9s   %12s %9s %9s   %-14s %s\n' "query" "service/s" "p50 ms" \
    "p99 ms" "$1/s" "p50 ms" "p99 ms" "service/$1" "service CPU us/req"
}

# Exits non-zero if any run had a response that was not OK.
check_failures() {
  if [ "$failures" -ne 0 ]; then
    echo "CHECK FAILED: $failures run(s) had responses that were not grpc-status 0" >&2
    exit 1
  fi
  echo "every response: HTTP 200 and grpc-status 0 (checked on the service's metrics)"
}

# floor_table TITLE FLOOR_ARGS...: run_floor, then prints TITLE and the
# table of get, list and summarize beside the floor.
floor_table() {
  local title=$1 key
  shift
  if [ "$BENCH_ENGINE" = postgres ]; then
    echo
    echo "$title on PostgreSQL, about $DURATION s per run, h2load -t1 -c$H2LOAD_CONNECTIONS" \
         "-m$H2LOAD_STREAMS; $(nproc) cores shared with the client and the database"
    printf '%-14s %12s %9s %9s\n' "query" "service/s" "p50 ms" "p99 ms"
    for key in get list summarize; do
      printf '%-14s %12s %9s %9s\n' "$key" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}"
    done
    check_failures
    return
  fi
  run_floor "$@"
  echo
  echo "$title, about $DURATION s per run, h2load -t1 -c$H2LOAD_CONNECTIONS -m$H2LOAD_STREAMS;" \
       "floor: the same SQL on $(nproc) threads; $(nproc) cores shared with the client"
  table_header SQLite
  for key in get list summarize; do table_row "$key" "$key" "floor_$key"; done
  check_failures
}
