#!/usr/bin/env bash
# Expected: pass — asks `llmplan fit --format json` whether three models fit the survey's home rig
# (2x RTX 4060 Ti 16GB) in 4-bit and prints one line per model with jq: id, verdict, per-card headroom, total GiB.
# Needs jq (https://jqlang.github.io/jq/); without it the script says so and exits 127.
# LLMPLAN overrides the command (default: the launcher next to this folder); JQ overrides the jq binary.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
llmplan="${LLMPLAN:-$here/../llmplan}"
jq="${JQ:-jq}"

if ! command -v "$jq" >/dev/null 2>&1; then
  echo "fit-json-jq.sh: jq is not installed (it reads llmplan's JSON here); install it with 'apt-get install jq' or 'brew install jq'" >&2
  exit 127
fi

printf 'model\tverdict\theadroom%%\ttotal GiB\n'
for model in mistral-7b llama-2-13b llama-2-70b; do
  # $llmplan is left unquoted on purpose so LLMPLAN can be a command with arguments ("java -jar llmplan.jar").
  $llmplan fit "$model" --quant q4_k_m --gpu "2x rtx-4060-ti-16gb" --no-ladder --format json |
    "$jq" -r '[.model.id, .fit.verdict, .fit.minHeadroomPercent, (.memory.totalBytes / 1073741824 * 100 | round / 100)] | @tsv'
done
