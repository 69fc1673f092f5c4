"""Add up what a ``make fuzz`` run tried: inputs per property test and in all, and the
failures found, from pytest's ``--hypothesis-show-statistics`` output.

    python scripts/fuzz_summary.py build/fuzz.log
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TEST = re.compile(r"^(\S+::\S+):$")
CASES = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid test cases")
RESULT = re.compile(r"(\d+) (passed|failed|error)")


def main(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace")
    per_test: dict[str, list[int]] = {}
    current = None
    for line in text.splitlines():
        if match := TEST.match(line.strip()):
            current = match.group(1)
        elif (match := CASES.search(line)) and current:
            counts = per_test.setdefault(current, [0, 0, 0])
            for i, n in enumerate(match.groups()):
                counts[i] += int(n)
    width = max((len(t) for t in per_test), default=10)
    for test, (passing, failing, invalid) in sorted(per_test.items()):
        print(f"{test:<{width}}  {passing + failing:>8,} inputs  {failing:>3} failing"
              f"  ({invalid:,} invalid)")
    tried = sum(p + f for p, f, _ in per_test.values())
    failing = sum(f for _, f, _ in per_test.values())
    outcome = {kind: int(n) for n, kind in RESULT.findall(text.splitlines()[-1] if text else "")}
    print(f"in all: {tried:,} inputs tried over {len(per_test)} property tests; "
          f"{failing} failing inputs; tests failed: {outcome.get('failed', 0)}")
    return 1 if failing or outcome.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/fuzz.log")))
