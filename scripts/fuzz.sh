#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for FUZZTIME each (default 3m),
# one at a time. Crashers the fuzzer finds are written by Go under the
# package's testdata/fuzz/<Target>/ and become regression seeds of the
# normal test run once committed.
#
#   scripts/fuzz.sh                   # every target, 3 minutes each
#   FUZZTIME=30s scripts/fuzz.sh ./internal/extract/...
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-3m}
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)
failed=0
for pkg in $(go list "${pkgs[@]}"); do
  for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
    echo "== $pkg $target ($FUZZTIME)"
    # -fuzzminimizetime keeps minimising large seeds from eating the budget.
    if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 10s "$pkg"; then
      echo "!! $pkg $target found a failure (see testdata/fuzz)"; failed=1
    fi
  done
done
exit $failed
