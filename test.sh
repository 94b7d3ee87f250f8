#!/usr/bin/env bash
# Runs the whole test suite from a clean clone: set-up, a warnings-as-errors build, every test project, then the
# suite-wide RBAC check over what the end-to-end, demo and provider tests recorded (only on a full run, without arguments).
# `./test.sh --soak` runs only the chaos and fuzzing tests, longer: every write of every release is a crash point
# (CANARY_CHAOS_SOAK=1) and the validation fuzzers run 30,000 cases per kind (FUZZ_ITERATIONS).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
dotnet build Canary.sln -c Release --no-restore --nologo -warnaserror
if [ "${1:-}" = "--soak" ]; then
  shift
  export CANARY_CHAOS_SOAK=1 FUZZ_ITERATIONS="${FUZZ_ITERATIONS:-30000}"
  exec dotnet test Canary.sln -c Release --no-build --nologo \
    --filter "FullyQualifiedName~.Chaos.|FullyQualifiedName~Fuzz|FullyQualifiedName~Malformed" "$@"
fi
export CANARY_RBAC_USAGE_DIR="$PWD/artifacts/rbac-usage"
rm -rf "$CANARY_RBAC_USAGE_DIR"
dotnet test Canary.sln -c Release --no-build --nologo "$@"
if [ "$#" -eq 0 ]; then
  CANARY_RBAC_COVERAGE_CHECK="$CANARY_RBAC_USAGE_DIR" \
    dotnet test tests/Canary.Manifests.Tests -c Release --no-build --nologo --filter "FullyQualifiedName~RbacCoverageTests"
fi
