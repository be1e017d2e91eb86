#!/usr/bin/env bash
# Run after `dotnet test tests/NetNs.Core.Tests`: the tests name everything they make "nt-XXXXXXXX" and
# must remove it all, even when they fail. Prints what is left over and exits 1 if anything is.
# Checks: named namespaces (ip netns list and stray files in /run/netns), links in this (the root)
# namespace, mounts on /run/netns/nt-* (and cni-nt-*, the pod namespaces the container tests pin), and containers
# named nt-* left in docker, podman or containerd (tasks and containers in every ctr namespace).
set -u
prefix="${1:-nt-}"
leaks=0

report() {
    echo "leak-check: $1" >&2
    leaks=1
}

if ! command -v ip >/dev/null 2>&1; then
    echo "leak-check: iproute2 (ip) not found" >&2
    exit 2
fi

while read -r name _; do
    [[ "$name" == "$prefix"* ]] && report "namespace left over: $name"
done < <(ip netns list 2>/dev/null)

if [[ -d /run/netns ]]; then
    for f in /run/netns/"$prefix"*; do
        [[ -e "$f" ]] || continue
        # ip netns list already reported the mounted ones; also report plain files nothing is mounted on
        if ! grep -qF " $f " /proc/self/mountinfo; then
            report "stale file left over: $f"
        fi
    done
fi

while IFS= read -r line; do
    name="${line#*: }"
    name="${name%%:*}"
    name="${name%%@*}"
    [[ "$name" == "$prefix"* ]] && report "link left over in the root namespace: $name"
done < <(ip -o link show 2>/dev/null)

while read -r _ _ _ _ mountpoint _; do
    [[ "$mountpoint" == /run/netns/"$prefix"* ]] && report "mount left over: $mountpoint"
done < /proc/self/mountinfo

for f in /run/netns/cni-"$prefix"*; do
    [[ -e "$f" ]] && report "pod namespace left over: $f"
done

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    while read -r name; do
        [[ "$name" == "$prefix"* ]] && report "docker container left over: $name"
    done < <(docker ps -a --format '{{.Names}}' 2>/dev/null)
fi
if command -v podman >/dev/null 2>&1; then
    while read -r name; do
        [[ "$name" == "$prefix"* ]] && report "podman container left over: $name"
    done < <(podman ps -a --format '{{.Names}}' 2>/dev/null)
fi
if command -v ctr >/dev/null 2>&1 && [[ -S /run/containerd/containerd.sock ]]; then
    while read -r cns; do
        while read -r id _; do
            [[ "$id" == "$prefix"* ]] && report "containerd task left over: $cns/$id"
        done < <(ctr -n "$cns" task ls -q 2>/dev/null)
        while read -r id; do
            [[ "$id" == "$prefix"* ]] && report "containerd container left over: $cns/$id"
        done < <(ctr -n "$cns" container ls -q 2>/dev/null)
    done < <(ctr namespace ls -q 2>/dev/null)
fi

if [[ $leaks -eq 0 ]]; then
    echo "leak-check: nothing named ${prefix}* left over"
fi
exit $leaks
