#!/usr/bin/env bash
# The Kubernetes base renders, and holds the five servers and Redis with gRPC
# probes. Skipped (exit 77) where kubectl is not installed.
set -euo pipefail
base="$1/deploy/k8s/base"
command -v kubectl >/dev/null || { echo "kubectl not installed: skipped"; exit 77; }
rendered=$(kubectl kustomize "$base")
for workload in "StatefulSet/renewal" "StatefulSet/investment" "StatefulSet/facilities" \
                "StatefulSet/target-values" "Deployment/gateway" "Deployment/redis"; do
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
echo "kustomize base renders: 6 workloads, $probes gRPC probes"
