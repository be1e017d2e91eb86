#!/usr/bin/env bash
# Stops the runtimes start-runtimes.sh started (and only those), and removes what dockerd leaves behind.
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -f out/runtimes.pids ] || exit 0
docker ps -aq --filter 'name=^nt-' | xargs -r docker rm -f >/dev/null 2>&1
command -v podman >/dev/null 2>&1 && podman ps -aq --filter 'name=^nt-' | xargs -r podman rm -f -t 0 >/dev/null 2>&1
if ! [ -s out/runtimes.pids ]; then
  rm -f out/runtimes.pids # the runtimes were running before start-runtimes.sh: leave them be
  exit 0
fi
tac out/runtimes.pids | while read -r pid; do
  # only a runtime this script's partner started (a stale pid may belong to something else by now)
  case "$(cat "/proc/$pid/comm" 2>/dev/null)" in containerd|dockerd) ;; *) continue ;; esac
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
done
# dockerd pins the host namespace at /run/docker/netns/default and does not unmount it on exit.
grep -oE ' /run/docker/netns/[^ ]+' /proc/self/mountinfo | while read -r m; do umount -l "$m" 2>/dev/null; done
rm -f out/runtimes.pids
