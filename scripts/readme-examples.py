#!/usr/bin/env python3
"""Re-run the README's example commands and put their real output back into the README.

A fenced block whose first line is `$ ./llmplan ...` (or `$ llmplan ...`) and that holds no other
`$ ` line is an example: the command runs through the launcher from the repository root (a pipe such
as `| tail -9` runs in bash) and the block becomes the command plus its stdout. Blocks that need a
live hub or this machine's GPUs (HF_ENDPOINT, hf:, --detect, --gpu auto) are left as they are.

    scripts/readme-examples.py          # rewrite README.md
    scripts/readme-examples.py --check  # exit 1 and list the blocks whose output changed
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SKIP = ("HF_ENDPOINT", "hf:", "--detect", "--gpu auto", "--fits auto")


def run(command):
    cmd = re.sub(r"^(\./)?llmplan ", "./llmplan ", command)
    out = subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return out.stdout.rstrip("\n")


def main():
    check = "--check" in sys.argv
    text = README.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"^```\n(\$ [^\n]*)\n(.*?)^```\n", text, re.S | re.M))
    changed = []
    out = []
    last = 0
    for m in blocks:
        command = m.group(1)[2:]
        body = m.group(2)
        if not re.match(r"(\./)?llmplan ", command) or any(s in command for s in SKIP) \
                or re.search(r"^\$ ", body, re.M):
            continue
        fresh = run(command) + "\n"
        if fresh != body:
            changed.append(command)
        out.append(text[last:m.start()])
        out.append("```\n" + m.group(1) + "\n" + fresh + "```\n")
        last = m.end()
    out.append(text[last:])
    for c in changed:
        print("changed: " + c)
    if check:
        sys.exit(1 if changed else 0)
    README.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
