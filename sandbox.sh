#!/usr/bin/env bash
# The main job: the sandbox (emulated cluster on loopback). With no arguments it serves the emulated API server on
# 127.0.0.1:18080 and writes .sandbox/kubeconfig; any arguments are passed to the sandbox CLI (see --help).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
mkdir -p .sandbox
if [ "$#" -eq 0 ]; then
  set -- serve --port 18080 --kubeconfig-out "$PWD/.sandbox/kubeconfig"
fi
exec dotnet run --project src/Canary.Sandbox -c Release --no-restore -- "$@"
