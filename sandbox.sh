#!/usr/bin/env bash
# The main job: the sandbox (emulated cluster on loopback). With no arguments it plays the demo: the emulated API
# server on 127.0.0.1:18080, simulated traffic, a real Prometheus and the controller, a release promoted and two rolled
# back, then a summary (exit 0 when the story ended as expected). Any arguments are passed to the sandbox CLI:
#   ./sandbox.sh demo --provider nginx --keep-running     (every provider: README "Other providers")
#   ./sandbox.sh serve --port 18080                       (only the emulated API server)
#   ./sandbox.sh scenarios benchmarks/decisions --runs 20 (decision-quality benchmark, see benchmarks/decisions/README.md)
#   ./sandbox.sh gitops my-manifests --interval 5s        (Flux-like apply and prune of a folder into the running sandbox)
#   ./sandbox.sh --help
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
mkdir -p .sandbox
if [ "$#" -eq 0 ]; then
  set -- demo
fi
exec dotnet run --project src/Canary.Sandbox -c Release --no-restore -- "$@"
