#!/usr/bin/env bash
# Runs the accuracy test against the published figures and prints the per-case table with the
# median and worst absolute error (target/accuracy-report.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test -Dtest=AccuracyTest -Dsurefire.failIfNoSpecifiedTests=false
cat target/accuracy-report.md
