#!/usr/bin/env bash
# Start-up benchmark: median wall time of the command users type most, against a trivial Java
# "hello" with the same JVM flags (the floor the JVM allows). Usage: scripts/startup-benchmark.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-21}"
./llmplan --version >/dev/null            # build first if needed
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$tmp" "$tmp/Hello.java"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() {
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
  done | median
}
hello=$(time_runs java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$tmp" Hello)
fit=$(time_runs ./llmplan fit 70B --quant 8bit)
help=$(time_runs ./llmplan --help)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "java hello (floor):                 ${hello} ms (median of $runs)"
echo "./llmplan --help:                   ${help} ms"
echo "./llmplan fit 70B --quant 8bit:     ${fit} ms  (ratio to hello: $(awk -v a="$fit" -v b="$hello" 'BEGIN {printf "%.1f", a/b}'))"
