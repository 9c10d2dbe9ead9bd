#!/usr/bin/env bash
# JMH benchmarks: catalog loading, one estimate, the recommend search over the whole catalog, and
# how long the running shell takes to answer a line.
# Usage: scripts/benchmark.sh [JMH options], e.g. scripts/benchmark.sh -f 1 -wi 2 -i 3
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "PlannerBenchmark|ShellLineBenchmark" "$@"
