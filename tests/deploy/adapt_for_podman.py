#!/usr/bin/python3
"""Adapts rendered Kubernetes manifests so that `podman kube play` starts them.

Reads the rendered YAML on stdin and writes the adapted copy to stdout. The
manifests themselves stay what a real cluster needs; each change here is
something podman 4.3 cannot do (see ../shared/deploy-testing.md):

- Each Deployment becomes a Pod named after it: podman plays no Services,
  and pods find each other by pod name through podman's DNS, so a pod named
  "renewal" answers where the manifests say dns:///renewal. Services,
  PersistentVolumeClaims, NetworkPolicies and the like are dropped.
- Images are the ones built locally (localhost/...): podman would otherwise
  try to pull them.
- Secret volumes become hostPath folders of files the test made: podman
  mounts a Secret's data still base64-encoded.
- PersistentVolumeClaims become hostPath folders the test made, owned by the
  servers' user; emptyDirs become fresh hostPath folders anyone may write,
  as Kubernetes makes them (podman's are root's alone).
- Probes are dropped: podman ignores readiness and runs liveness only on
  demand; the test polls health itself.
- Only the gateway publishes ports, on loopback ports the test picked:
  podman publishes every containerPort on the host, which would collide with
  whatever else the machine runs.
"""

import argparse
import os
import sys

import yaml


def adapt_pod_spec(pod, spec, args, published):
    for volume in spec.get("volumes", []):
        if "emptyDir" in volume:
            volume.pop("emptyDir")
            path = f"{args.data_dir}/{pod}-{volume['name']}"
            os.makedirs(path, exist_ok=True)
            os.chmod(path, 0o1777)
            volume["hostPath"] = {"path": path, "type": "Directory"}
        elif "secret" in volume:
            name = volume.pop("secret")["secretName"]
            volume["hostPath"] = {"path": f"{args.secrets_dir}/{name}", "type": "Directory"}
        elif "persistentVolumeClaim" in volume:
            claim = volume.pop("persistentVolumeClaim")["claimName"]
            volume["hostPath"] = {"path": f"{args.data_dir}/{claim}", "type": "Directory"}
    for container in spec["containers"]:
        image = container["image"]
        if not image.startswith("localhost/"):
            container["image"] = f"localhost/{image}"
        container.pop("readinessProbe", None)
        container.pop("livenessProbe", None)
        container.pop("startupProbe", None)
        ports = container.pop("ports", [])
        if published:
            container["ports"] = [
                {"name": port["name"], "containerPort": port["containerPort"],
                 "hostIP": "127.0.0.1", "hostPort": published[port["name"]]}
                for port in ports]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--secrets_dir", required=True)
    parser.add_argument("--data_dir", required=True)
    parser.add_argument("--gateway_grpc_port", type=int, required=True)
    parser.add_argument("--gateway_http_port", type=int, required=True)
    args = parser.parse_args()

    pods = []
    for doc in yaml.safe_load_all(sys.stdin):
        if not doc or doc.get("kind") != "Deployment":
            continue
        name = doc["metadata"]["name"]
        template = doc["spec"]["template"]
        published = None
        if name == "gateway":
            published = {"grpc": args.gateway_grpc_port, "http": args.gateway_http_port}
        adapt_pod_spec(name, template["spec"], args, published)
        pods.append({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": template["metadata"].get("labels", {})},
            "spec": template["spec"],
        })
    yaml.safe_dump_all(pods, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
