#!/usr/bin/env bash
# Both overlays render. The local one holds the five servers and Redis, gRPC
# probes (start-up ones on the four stores), the NetworkPolicies and a
# read-only root everywhere. Skipped (exit 77) where kubectl is not installed.
set -euo pipefail
overlay="$1/deploy/k8s/overlays/local"
command -v kubectl >/dev/null || { echo "kubectl not installed: skipped"; exit 77; }
rendered=$(kubectl kustomize "$overlay")
for workload in "Deployment/renewal" "Deployment/investment" "Deployment/facilities" \
                "Deployment/targets" "Deployment/gateway" "Deployment/redis" \
                "NetworkPolicy/services-from-gateway" "NetworkPolicy/redis-from-gateway"; do
  # Each document's top-level kind and its metadata name, as "Kind/name".
  printf '%s\n' "$rendered" | awk '
      /^---/ { kind = ""; meta = 0 }
      /^kind: / { kind = $2 }
      /^metadata:/ { meta = 1; next }
      /^[a-z]/ { meta = 0 }
      meta && /^  name: / { print kind "/" $2 }' | grep -qx "$workload" \
    || { echo "missing $workload"; exit 1; }
done
probes=$(printf '%s\n' "$rendered" | grep -c "grpc:" || true)
[ "$probes" -ge 9 ] || { echo "expected gRPC probes on every server, found $probes"; exit 1; }
# The four servers that keep data wait out a schema upgrade before liveness.
startup=$(printf '%s\n' "$rendered" | grep -c "startupProbe:" || true)
[ "$startup" -eq 4 ] || { echo "expected start-up probes on the 4 stores, found $startup"; exit 1; }
read_only=$(printf '%s\n' "$rendered" | grep -c "readOnlyRootFilesystem: true" || true)
[ "$read_only" -eq 6 ] || { echo "expected 6 read-only roots, found $read_only"; exit 1; }
echo "local overlay renders: 6 workloads, $probes gRPC probes ($startup start-up), $read_only read-only roots"

# The production overlay: every service on PostgreSQL from the secret, two
# or more replicas spread over nodes, budgets and autoscalers, no SQLite
# volumes.
rendered=$(kubectl kustomize "$1/deploy/k8s/overlays/production")
count() { printf '%s\n' "$rendered" | grep -c -- "$1" || true; }
for check in "kind: PodDisruptionBudget=5" "kind: HorizontalPodAutoscaler=5" \
             "podAntiAffinity:=5" "--database_url_file=/etc/jiangan/database/\$(JIANGAN_APP)=4" \
             "secretName: jiangan-database=4" "kind: PersistentVolumeClaim=0" \
             "replicas: 1=1" "maxUnavailable: 0=4" "readOnlyRootFilesystem: true=6"; do
  pattern=${check%=*} expected=${check##*=}
  found=$(count "$pattern")
  [ "$found" -eq "$expected" ] || { echo "production: expected $expected of '$pattern', found $found"; exit 1; }
done
echo "production overlay renders: PostgreSQL for 4 services, 5 budgets, 5 autoscalers, spread"
