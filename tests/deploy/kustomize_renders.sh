#!/usr/bin/env bash
# The local overlay renders, and holds the five servers and Redis, gRPC
# probes, the NetworkPolicies and a read-only root everywhere. Skipped (exit
# 77) where kubectl is not installed.
set -euo pipefail
overlay="$1/deploy/k8s/overlays/local"
command -v kubectl >/dev/null || { echo "kubectl not installed: skipped"; exit 77; }
rendered=$(kubectl kustomize "$overlay")
for workload in "Deployment/renewal" "Deployment/investment" "Deployment/facilities" \
                "Deployment/target-values" "Deployment/gateway" "Deployment/redis" \
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
read_only=$(printf '%s\n' "$rendered" | grep -c "readOnlyRootFilesystem: true" || true)
[ "$read_only" -eq 6 ] || { echo "expected 6 read-only roots, found $read_only"; exit 1; }
echo "local overlay renders: 6 workloads, $probes gRPC probes, $read_only read-only roots"
