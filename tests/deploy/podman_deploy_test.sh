#!/usr/bin/env bash
# The deployment, started for real: builds the images with podman from a
# Debian 12 base made here (debootstrap; no registry), renders the `local`
# overlay, adapts a copy for podman (tests/deploy/adapt_for_podman.py says
# what and why), plays it with `podman kube play`, then checks through the
# gateway inside: health, a write and reads. Needs root, podman and kubectl;
# skipped (exit 77) without them.
# Usage: podman_deploy_test.sh SOURCE_DIR JIANGAN_CLI
set -euo pipefail
SOURCE=$1
CLI=$2
cd "$SOURCE"

skip() { echo "skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v podman >/dev/null || skip "podman not installed"
command -v kubectl >/dev/null || skip "kubectl not installed"
command -v debootstrap >/dev/null || skip "debootstrap not installed"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"

WORK=$(mktemp -d /tmp/jiangan-deploy-XXXXXX)
NETWORK=jiangan-deploy-$$
# runc: crun fails on this kind of machine's cgroups; lower default ulimits
# than podman's, which runc refuses.
cat >"$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$WORK/containers.conf

BASE=localhost/debian:bookworm-slim
if ! podman image exists "$BASE"; then
  mirror=$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' \
           /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null || true)
  echo "making $BASE from ${mirror:=http://deb.debian.org/debian}"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log"
  tar -C "$WORK/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$WORK/rootfs"
fi
start=$(date +%s)
podman build -q -f deploy/Dockerfile --build-arg BASE_IMAGE="$BASE" \
  -t localhost/jiangan-portfolio:latest . >/dev/null
podman build -q -f deploy/redis.Dockerfile --build-arg BASE_IMAGE="$BASE" \
  -t localhost/jiangan-redis:latest . >/dev/null
echo "images built in $(($(date +%s) - start)) s"
# The image's own user, with no way to become root, on a read-only root.
user=$(podman image inspect --format '{{.Config.User}}' localhost/jiangan-portfolio:latest)
[ "$user" = 10001 ] || { echo "the image runs as '$user', not 10001"; exit 1; }

# The secrets ops would make, as files; the data folders, owned by the
# servers' user.
source scripts/lib/credentials.sh
write_credentials "$WORK/credentials"
mkdir -p "$WORK/secrets/jiangan-identity" "$WORK/secrets/jiangan-principals"
cp "$WORK/credentials/identity.key" "$WORK/secrets/jiangan-identity/"
cp "$WORK/credentials/principals.json" "$WORK/secrets/jiangan-principals/"
chmod -R a+rX "$WORK/secrets"
for claim in renewal investment facilities target-values supervision; do
  mkdir -p "$WORK/data/$claim-data"
  chown 10001:10001 "$WORK/data/$claim-data"
done
chmod a+rx "$WORK"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 20000))
    port_open "$port" || { echo "$port"; return; }
  done
}
GRPC=$(free_port); HTTP=$(free_port)
kubectl kustomize deploy/k8s/overlays/local >"$WORK/rendered.yaml"
/usr/bin/python3 tests/deploy/adapt_for_podman.py --secrets_dir="$WORK/secrets" \
  --data_dir="$WORK/data" --gateway_grpc_port="$GRPC" --gateway_http_port="$HTTP" \
  <"$WORK/rendered.yaml" >"$WORK/adapted.yaml"

cleanup() {
  podman kube down "$WORK/adapted.yaml" >/dev/null 2>&1 || true
  podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# Pods of these names left by a run that was stopped before its cleanup (a
# timeout, a killed CI) would make the play fail: they are this test's own.
for pod in redis renewal investment facilities targets supervision gateway; do
  podman pod rm -f "$pod" >/dev/null 2>&1 || true
done
podman network create "$NETWORK" >/dev/null
podman kube play --network "$NETWORK" "$WORK/adapted.yaml" >/dev/null
logs() {
  local pod
  for pod in redis renewal investment facilities targets supervision gateway; do
    echo "--- $pod"
    podman logs --tail 20 "$pod-$pod" 2>&1 || true
  done
}

# Health: the gateway's /healthz, then every service through it.
healthy=0
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null; then healthy=1; break; fi
  sleep 0.5
done
[ "$healthy" -eq 1 ] || { echo "the gateway never answered /healthz"; logs; exit 1; }
cli=("$CLI" --target="127.0.0.1:$GRPC" --authorization="Bearer $ADMIN_TOKEN")
call() { # METHOD JSON: retried while the services behind come up
  local out
  for _ in $(seq 1 60); do
    if out=$("${cli[@]}" call "$1" "$2" 2>&1); then printf '%s\n' "$out"; return 0; fi
    sleep 0.5
  done
  echo "$1 failed: $out" >&2
  logs >&2
  return 1
}

# A write, then reads of it through the gateway (the HTTP face included),
# and a read of every other service. (Outputs are kept and searched after:
# grep -q on a pipe would end its writer early.)
expect() { # WHAT PATTERN OUTPUT
  grep -q "$2" <<<"$3" || { echo "$1: no '$2' in: $3"; logs; exit 1; }
}
out=$(call jiangan.renewal.v1.RenewalService/CreateProject \
  '{"projectId":"deploy-check","requestId":"deploy-check","project":{"displayName":"部署检查项目","kind":"OLD_COMMUNITY_RENOVATION"}}')
expect CreateProject '"name": "projects/deploy-check"' "$out"
out=$(call jiangan.renewal.v1.RenewalService/GetProject '{"name":"projects/deploy-check"}')
expect GetProject 部署检查项目 "$out"
out=$(curl -sf -H "authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$HTTP/v1/projects/deploy-check")
expect "GET /v1/projects/deploy-check" 部署检查项目 "$out"
call jiangan.investment.v1.InvestmentService/ListLeads '{}' >/dev/null
call jiangan.facilities.v1.FacilitiesService/ListFacilities '{}' >/dev/null
out=$(call jiangan.portfolio.v1.PortfolioService/ListTargets '{}')
expect ListTargets '"name": "targets/' "$out"
out=$(call jiangan.supervision.v1.SupervisionService/CreateTicket \
  '{"ticketId":"deploy-check","requestId":"deploy-check","ticket":{"title":"部署检查督办单","subject":{"resource":"projects/deploy-check"},"demand":"检查","assigneeDepartment":"区住房和城市更新局","timeLimitWorkingDays":5}}')
expect CreateTicket '"state": "ISSUED"' "$out"
# The servers run as 10001 on a read-only root filesystem.
podman exec gateway-gateway sh -c 'id -u; touch /probe' >"$WORK/probe.txt" 2>&1 || true
grep -qx 10001 "$WORK/probe.txt" && grep -q "Read-only file system" "$WORK/probe.txt" \
  || { echo "gateway: not user 10001 on a read-only root: $(cat "$WORK/probe.txt")"; exit 1; }
echo "deploy test: local overlay played with podman; health, a write and reads answered"
