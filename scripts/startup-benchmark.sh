#!/usr/bin/env bash
# Start-up benchmark: wall time of the commands users type most, each as a ratio to a trivial Java
# "hello" with the same JVM flags (the floor the JVM allows), measured in the same run.
# Runs are interleaved (one of each command per round) so that load from other processes falls on
# all of them alike; each figure is the median of the rounds.
# Usage: scripts/startup-benchmark.sh [rounds]   (default 21; the java on PATH is the one measured)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-21}"
./llmplan --version >/dev/null            # build (and on Java 25+ record the AOT cache) first if needed
./llmplan --version >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$tmp" "$tmp/Hello.java"

names=("java Hello (floor)" "fit 70B --quant 8bit" "fit llama-2-7b --format json"
       "recommend llama-2-70b --quant 4bit" "gpus" "--version")
run_case() {
  case "$1" in
    0) java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$tmp" Hello ;;
    1) ./llmplan fit 70B --quant 8bit ;;
    2) ./llmplan fit llama-2-7b --format json ;;
    3) ./llmplan recommend llama-2-70b --quant 4bit ;;
    4) ./llmplan gpus ;;
    5) ./llmplan --version ;;
  esac
}
# Milliseconds from bash's own clock (no fork of date(1) inside the timed span).
now_us() { local t="${EPOCHREALTIME/./}"; echo "$t"; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    s=$(now_us); run_case "$i" >/dev/null 2>&1 || true; e=$(now_us)
    echo "$i $(( (e - s) / 1000 ))" >> "$tmp/times"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { awk -v k="$1" '$1 == k {print $2}' "$tmp/times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
hello=$(median 0)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average before $load_before, after $load_after"
echo "median of $rounds interleaved rounds; ratio = command / java Hello"
for i in "${!names[@]}"; do
  m=$(median "$i")
  printf '%-38s %5d ms  %4.1fx\n' "${names[$i]}" "$m" "$(awk -v a="$m" -v b="$hello" 'BEGIN {print a/b}')"
done
