#!/usr/bin/env bash
# Builds NetNs and runs the tests or the demo lab, or makes the package: ./build.sh build|test|demo|package
# Needs only the .NET 10 SDK: PowerShell comes from the repository's local tool manifest
# (.config/dotnet-tools.json, `dotnet tool restore`; nothing is installed globally) and Pester from a NuGet
# restore (Directory.Build.props). `test` also installs the OS packages the tests use when they are missing
# (as root, with apt-get). `test` and `demo` create network namespaces, so they need root.
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-build}"
config="${CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case "$task" in
  build|test|demo|package) ;;
  *) echo "usage: $0 build|test|demo|package" >&2; exit 2 ;;
esac

if ! command -v dotnet >/dev/null 2>&1; then
  echo "the .NET 10 SDK is required: https://learn.microsoft.com/dotnet/core/install/linux" >&2
  exit 1
fi

if { [ "$task" = test ] || [ "$task" = demo ]; } && [ "$(id -u)" -ne 0 ]; then
  echo "./build.sh $task creates network namespaces and needs root: sudo ./build.sh $task" >&2
  exit 1
fi

if [ "$task" = test ]; then
  # Command -> Debian package, for what the tests run besides NetNs itself (nftables brings libnftables1).
  # tcpdump and tshark read the capture tests' pcapng files (tshark installs in ~30 s; a missing one fails those tests).
  declare -A packages=([ip]=iproute2 [ping]=iputils-ping [nft]=nftables [sysctl]=procps [setpriv]=util-linux [unshare]=util-linux [tmux]=tmux
    [tcpdump]=tcpdump [tshark]=tshark [sshd]=openssh-server)
  missing=()
  for cmd in "${!packages[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${packages[$cmd]}")
  done
  # Libraries loaded in-process: libpcap compiles capture filters (Start-NetNsCapture -Filter).
  ldconfig -p 2>/dev/null | grep -q 'libpcap\.so\.0\.8 ' || missing+=(libpcap0.8)
  if [ "${#missing[@]}" -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "the tests need these packages, and apt-get is not here to install them: ${missing[*]}" >&2
      exit 1
    fi
    echo "installing what the tests need: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# pwsh from the local tool manifest (pinned there); a no-op when it is already restored.
dotnet tool restore >/dev/null || { echo "dotnet tool restore failed: pwsh (.config/dotnet-tools.json) could not be restored" >&2; exit 1; }
exec dotnet tool run pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task "${task^}" -Configuration "$config"
