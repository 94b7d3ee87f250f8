#!/usr/bin/env bash
# Runs the whole test suite from a clean clone: set-up, a warnings-as-errors build, every test project.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
dotnet build Canary.sln -c Release --no-restore --nologo -warnaserror
dotnet test Canary.sln -c Release --no-build --nologo "$@"
