#!/usr/bin/env bash
# Installs (if missing) and starts containerd and dockerd for the container-discovery tests, installs podman
# (daemonless), and makes the local image nt-busybox:latest from busybox-static (no registry is reachable) in
# Docker, podman and containerd (namespace nt-tests, as the xunit tests use). dockerd runs with
# --bridge=none --iptables=false --ip-forward=false: it creates no docker0 and leaves the host's firewall
# and sysctls alone; tests run containers with --network none and wire them up themselves.
# Writes the PIDs it started to out/runtimes.pids so stop-runtimes.sh stops only those.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p out
# A second run finds the runtimes up and starts nothing: it keeps the list of what the first run started.
[ -f out/runtimes.pids ] || : > out/runtimes.pids

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v podman >/dev/null 2>&1 || missing+=(podman)
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

wait_for() { # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

if ! docker info >/dev/null 2>&1; then
  # A socket file alone is not a running containerd: a killed one leaves it behind (containerd replaces it).
  if ! ctr --address /run/containerd/containerd.sock version >/dev/null 2>&1; then
    containerd >out/containerd.log 2>&1 &
    echo $! >> out/runtimes.pids
    wait_for 30 ctr --address /run/containerd/containerd.sock version || { echo "containerd did not start; see out/containerd.log" >&2; exit 1; }
  fi
  dockerd --containerd=/run/containerd/containerd.sock --bridge=none --iptables=false --ip-forward=false \
    >out/dockerd.log 2>&1 &
  echo $! >> out/runtimes.pids
  wait_for 60 docker info || { echo "dockerd did not start; see out/dockerd.log" >&2; exit 1; }
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
cp /bin/busybox "$root/bin/busybox"
for c in sh ip ping sleep cat ls; do ln -s busybox "$root/bin/$c"; done
if ! docker image inspect nt-busybox:latest >/dev/null 2>&1; then
  tar -C "$root" -c . | docker import - nt-busybox:latest >/dev/null
fi
# podman: the same rootfs (its runs need --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 here, see NOTES).
if ! podman image exists localhost/nt-busybox:latest 2>/dev/null; then
  tar -C "$root" -c . | podman import - localhost/nt-busybox:latest >/dev/null
fi
# containerd (ctr tasks with CRI-style annotations): the image Docker made, in namespace nt-tests.
if ! ctr -n nt-tests image ls -q 2>/dev/null | grep -qx 'docker.io/library/nt-busybox:latest'; then
  docker save nt-busybox:latest | ctr -n nt-tests image import - >/dev/null
fi
echo "container runtimes ready: docker $(docker version --format '{{.Server.Version}}'), podman $(podman version --format '{{.Client.Version}}'), image nt-busybox:latest"
