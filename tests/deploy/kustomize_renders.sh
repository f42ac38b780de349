#!/usr/bin/env bash
# Both overlays render. The local one holds the six servers and Redis, gRPC
# probes (start-up ones on the five stores), the NetworkPolicies and a
# read-only root everywhere. Skipped (exit 77) where kubectl is not installed.
set -euo pipefail
overlay="$1/deploy/k8s/overlays/local"
command -v kubectl >/dev/null || { echo "kubectl not installed: skipped"; exit 77; }
rendered=$(kubectl kustomize "$overlay")
for workload in "Deployment/renewal" "Deployment/investment" "Deployment/facilities" \
                "Deployment/targets" "Deployment/supervision" "Deployment/gateway" \
                "Deployment/redis" "NetworkPolicy/subject-services-from-supervision" \
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
[ "$probes" -ge 12 ] || { echo "expected gRPC probes on every server, found $probes"; exit 1; }
# The five servers that keep data wait out a schema upgrade before liveness.
startup=$(printf '%s\n' "$rendered" | grep -c "startupProbe:" || true)
[ "$startup" -eq 5 ] || { echo "expected start-up probes on the 5 stores, found $startup"; exit 1; }
read_only=$(printf '%s\n' "$rendered" | grep -c "readOnlyRootFilesystem: true" || true)
[ "$read_only" -eq 7 ] || { echo "expected 7 read-only roots, found $read_only"; exit 1; }
echo "local overlay renders: 7 workloads, $probes gRPC probes ($startup start-up), $read_only read-only roots"

# The production overlay: every service on PostgreSQL from the secret, two
# or more replicas spread over nodes, budgets and autoscalers, no SQLite
# volumes.
rendered=$(kubectl kustomize "$1/deploy/k8s/overlays/production")
count() { printf '%s\n' "$rendered" | grep -c -- "$1" || true; }
for check in "kind: PodDisruptionBudget=6" "kind: HorizontalPodAutoscaler=6" \
             "podAntiAffinity:=6" "--database_url_file=/etc/jiangan/database/\$(JIANGAN_APP)=5" \
             "secretName: jiangan-database=5" "kind: PersistentVolumeClaim=0" \
             "replicas: 1=1" "maxUnavailable: 0=5" "readOnlyRootFilesystem: true=7"; do
  pattern=${check%=*} expected=${check##*=}
  found=$(count "$pattern")
  [ "$found" -eq "$expected" ] || { echo "production: expected $expected of '$pattern', found $found"; exit 1; }
done
echo "production overlay renders: PostgreSQL for 5 services, 6 budgets, 6 autoscalers, spread"
