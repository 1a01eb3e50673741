#!/usr/bin/env bash
# Runs every test of the solution; extra arguments go to `dotnet test` (e.g. --filter Name~Bulk).
#
# First installs, with apt-get, what the tests need and the machine lacks: PostgreSQL's server binaries (the
# tests start a throwaway cluster of their own) and Chromium (the Studio's browser tests). When both are
# present apt is not touched, so the script is fast and works offline.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || missing+=(postgresql)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)

if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]} with apt-get"
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo > /dev/null || { echo "test.sh: installing ${missing[*]} needs root or sudo" >&2; exit 1; }
    as_root=(sudo)
  fi
  apt_log=$(mktemp)
  if ! { "${as_root[@]}" apt-get update -q \
      && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
      > "$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    rm -f "$apt_log"
    echo "test.sh: apt-get failed" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi

# The full output is kept in TestResults/test.log; the console gets build errors, failures and one
# summary line per test project, then the totals.
mkdir -p TestResults
log=TestResults/test.log
echo "test.sh: dotnet test Cohort.slnx $*"
set +e
dotnet test Cohort.slnx --nologo -v quiet --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log" \
  | grep -v -E '^(Test run for |A total of [0-9]+ test files? matched|Additionally, path to test adapters|\s*$)'
status=${PIPESTATUS[0]}
set -e

read -r passed failed skipped < <(awk '
  /^(Passed|Failed)! / {
    for (i = 1; i <= NF; i++) {
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"

if [[ $status -ne 0 ]]; then
  echo "test.sh: FAILED (dotnet test exited with $status; full output in $log)" >&2
  exit "$status"
fi
