#!/usr/bin/env bash
# The soak: mixed traffic against the real multi-process cluster (2 silos, 2 API hosts, Redis, PostgreSQL),
# a silo restarted half way, for CONVERSATIONS_SOAK_DURATION (default 30 minutes). It checks usage totals,
# stream slots, that only the restart's documented 503s were 5xx, and (from 30 minutes on) that memory
# stays flat after warm-up; the report (answers by action and status, memory over time) is written to
# bench/results/soak-<time>.md. Needs what ./test.sh installs (redis-server, PostgreSQL).
#   bench/soak.sh            # 30 minutes
#   bench/soak.sh 01:00:00   # an hour
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-00:30:00}"
mkdir -p bench/results
report="$PWD/bench/results/soak-$(date -u +%Y%m%d-%H%M).md"
CONVERSATIONS_SOAK_DURATION="$duration" CONVERSATIONS_SOAK_REPORT="$report" \
  dotnet test tests/Silo.Tests -c Release --nologo --filter "FullyQualifiedName~Soak" --logger "console;verbosity=normal"
echo "Report: $report"
