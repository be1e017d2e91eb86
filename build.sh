#!/usr/bin/env bash
# Builds NetNs and runs the tests or the demo lab: ./build.sh build|test|demo
# With pwsh 7.4+ on PATH this hands over to build.ps1 (which also runs the Pester suite and the
# PowerShell demo). Without pwsh it does the same build and the xunit suites, and runs the C# demo.
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-build}"
config="${CONFIGURATION:-Release}"

case "$task" in
  build|test|demo) ;;
  *) echo "usage: $0 build|test|demo" >&2; exit 2 ;;
esac

if command -v pwsh >/dev/null 2>&1; then
  exec pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task "${task^}" -Configuration "$config"
fi

echo "pwsh not found: building and testing without PowerShell (the Pester suite needs pwsh 7.4+ and Pester 5)."
dotnet build NetNs.sln -c "$config" -nologo -v minimal

case "$task" in
  demo)
    exec dotnet run --project examples/NetNs.Demo -c "$config" --no-build
    ;;
  test)
    rm -rf out/test-results
    status=0
    for project in tests/NetNs.Core.Tests tests/NetNs.Tests; do
      [ -d "$project" ] || continue
      dotnet test "$project" -c "$config" --no-build --nologo \
        --logger 'console;verbosity=normal' --logger trx --results-directory out/test-results || status=1
    done
    bash tests/NetNs.Core.Tests/leak-check.sh || status=1
    passed=0; failed=0; skipped=0
    for trx in out/test-results/*.trx; do
      [ -e "$trx" ] || continue
      counters=$(grep -o '<Counters [^>]*>' "$trx")
      get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
      passed=$((passed + $(get passed))); failed=$((failed + $(get failed))); skipped=$((skipped + $(get notExecuted)))
    done
    echo "xunit: $passed passed, $failed failed, $skipped skipped"
    exit $status
    ;;
esac
