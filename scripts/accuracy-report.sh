#!/usr/bin/env bash
# Runs the accuracy test (AccuracyTest) against every published figure and prints its signed report
# (target/accuracy-report.md): per class (exact sizes, inference peaks, fine-tune peaks) for the
# shared validation set, the independent calibration set and the independent hold-back: count,
# median |error|, worst over- and under-estimate, count under-estimated by more than 10%; the worst
# under-estimates; summaries per source and per runtime x mode x quantisation family; the settings
# the engine ignored; then every figure with its signed error and the cases not reproduced.
#   scripts/accuracy-report.sh            the whole report
#   scripts/accuracy-report.sh --summary  everything before the per-figure table
# Exits with the test's status (non-zero when a shared-validation figure leaves its tolerance or an
# independent figure cannot be evaluated); the report is printed either way.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=full
case "${1:-}" in
    --summary) mode=summary ;;
    "") ;;
    *) echo "usage: $0 [--summary]" >&2; exit 2 ;;
esac
mkdir -p target
rm -f target/accuracy-report.md
mvn -q -B test -Dtest=AccuracyTest -Dsurefire.failIfNoSpecifiedTests=false >target/accuracy-test.log 2>&1
status=$?
if [ ! -f target/accuracy-report.md ]; then
    cat target/accuracy-test.log >&2
    exit "${status:-1}"
fi
if [ "$mode" = summary ]; then
    sed '/^## Per figure/,$d' target/accuracy-report.md
else
    cat target/accuracy-report.md
fi
if [ "$status" -ne 0 ]; then
    echo "accuracy test failed (see target/accuracy-test.log and target/surefire-reports)" >&2
fi
exit "$status"
