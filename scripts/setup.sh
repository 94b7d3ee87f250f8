#!/usr/bin/env bash
# Brings a fresh machine of this kind to the point where the build, the tests and the sandbox demo run:
# checks the .NET SDK and kubectl, installs Debian's prometheus, influxdb, graphite and chromium when missing, restores
# NuGet packages.
# Idempotent: a second run only re-checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

if ! need dotnet; then
  echo "setup: the .NET SDK (dotnet, 10.0.4xx) is required and is not on PATH" >&2
  exit 1
fi

# The tests drive the real kubectl against the emulated API server; this machine kind ships it.
if ! need kubectl; then
  echo "setup: kubectl is required (the tests and the demo drive the real client) and is not on PATH" >&2
  exit 1
fi

# Metric analysis end to end runs against real servers from Debian: Prometheus, InfluxDB 1.x for the influxdb backend,
# and Graphite (carbon-cache + graphite-web) for the graphite backend. Only what is missing is installed.
missing=()
if ! need prometheus && [ ! -x /usr/bin/prometheus ]; then missing+=(prometheus); fi
if [ ! -x /usr/bin/influxd ]; then missing+=(influxdb); fi
if [ ! -x /usr/bin/carbon-cache ]; then missing+=(graphite-carbon); fi
if [ ! -d /usr/lib/python3/dist-packages/graphite ]; then missing+=(graphite-web); fi
# The dashboard's browser tests drive Debian's chromium headless (Playwright's own browser download is not used).
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian's ${missing[*]}"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  # --no-install-recommends keeps node-exporter and friends out; the services they would start are not used.
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages start system services where systemd runs; the tests start their own servers on free ports.
  $sudo_cmd systemctl stop prometheus influxdb carbon-cache >/dev/null 2>&1 || true
fi

dotnet restore Canary.sln --nologo -v quiet
