#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need when it is missing (Debian's chromium with a CJK
# font for the page tests, redis-server for the scale-out tests, npm for the pages' libraries), runs
# `dotnet test XiaoxiangTracking.sln` and prints "N passed, N failed, N skipped" last. The README's test command.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (see README)." >&2
  exit 1
fi
# SQLite comes with its NuGet package.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-microhei)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing what the tests need: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "Missing ${missing[*]}: run as root or install them with your package manager (Debian: apt-get install ${missing[*]})." >&2
      exit 1
    fi
  fi
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "Could not install ${missing[*]} (Debian's package sources are needed)." >&2
    exit 1
  }
fi

log=$(mktemp)
dotnet test XiaoxiangTracking.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summary lines ("Passed!  - Failed: 0, Passed: 90, Skipped: 0, Total: 90").
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
  }
  END { print p + 0, f + 0, s + 0 }' "$log")
rm -f "$log"

# The reliability harness test leaves its one-line summary (cycles, fixes, orders, problems) next to the tests.
find XiaoxiangTracking.Tests/bin -name reliability.txt -newer XiaoxiangTracking.sln -exec cat {} \; 2>/dev/null

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed before or outside the tests (build error, crashed host)
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
