#!/usr/bin/env bash
# End-to-end check of the interactive shell in a real pseudo-terminal (util-linux `script`):
# types a partial model id, presses Tab, runs the line, and checks the completed id was planned.
# Usage: shell-tab-completion.sh [java command...]   (default: ./llmplan, the launcher)
# Exit 0 when the completion worked; 1 with the captured screen otherwise.
set -euo pipefail
if ! command -v script >/dev/null 2>&1; then
  echo "shell-tab-completion: 'script' (util-linux) is not installed" >&2
  exit 77
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
if [ "$#" -gt 0 ]; then cmd=("$@"); else cmd=("$here/llmplan"); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
launch="$(printf '%q ' "${cmd[@]}") shell"
screen="$work/screen"
# Keys arrive as a person types them: wait for the prompt, type, Tab, Enter, then leave.
{
  sleep "${E2E_STARTUP_S:-4}"
  printf 'fit mixtral-8x2'
  sleep 1
  printf '\t'
  sleep 1
  printf ' --mode load --no-ladder\r'
  sleep "${E2E_COMMAND_S:-3}"
  printf 'exit\r'
  sleep 1
} | env TERM=xterm-256color XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" \
    script -qfec "$launch" /dev/null >"$screen" 2>&1 || true
# Strip ANSI escapes before reading the screen.
plain="$(sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$screen")"
if grep -q '(mixtral-8x22b)' <<<"$plain" && ! grep -q 'unknown model' <<<"$plain"; then
  echo "shell-tab-completion: ok (Tab completed mixtral-8x2 to mixtral-8x22b)"
  exit 0
fi
echo "shell-tab-completion: FAILED; the screen was:" >&2
printf '%s\n' "$plain" >&2
exit 1
