#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs what the tests start (redis-server,
# PostgreSQL, Chromium and its chromedriver) and Node.js when it is missing, and the official Node SDK the
# SDK tests drive, builds, runs all test projects, and ends with one summary line.
set -uo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need_packages+=(redis-server)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_packages+=(postgresql)
fi
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || need_packages+=(npm)
# The web console's browser tests drive Debian's headless Chromium through its chromedriver.
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
[ -x /usr/bin/chromedriver ] || need_packages+=(chromium-driver)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${need_packages[*]}: run this script as root once so it can install them with apt-get." >&2
    exit 2
  fi
  echo "Installing ${need_packages[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_packages[@]}" >/dev/null || {
    echo "apt-get could not install ${need_packages[*]}." >&2
    exit 2
  }
  # The packages start system services; the tests start their own throwaway servers instead.
  (service redis-server stop || true; service postgresql stop || true) >/dev/null 2>&1
fi

# The Node SDK tests drive the service with the official openai package from a cached folder outside the
# repository (a few seconds from npm's cache). If this fails they fail too, saying so; the others still run.
if sdk_dir=$(bash tests/Conversations.Testing/Node/install-sdk.sh); then
  export OPENAI_NODE_SDK_DIR="$sdk_dir"
else
  echo "Could not install the official Node SDK (openai@7.55.0); the Node SDK tests will fail." >&2
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Conversations.sln --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project summaries ("Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...").
read -r passed failed skipped < <(grep -aoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | awk -F'[:,]' '{ f += $2; p += $4; s += $6 } END { print p+0, f+0, s+0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed before it could report: count that as a failure, not a pass.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
