#!/usr/bin/env python3
"""Rewrites test call sites for the one fixture class (issue 12), idempotently.

`TempRepository` and `TestRepository` became one class, `TestRepository`
(Tests/RecTrackTestSupport/TestRepository.swift). Run it from the project's root after
merging a branch written against the old names, then build the tests:

    python3 scripts/dev/rename-fixtures.py            # rewrite Tests/**/*.swift
    python3 scripts/dev/rename-fixtures.py --check    # list what would change, exit 1 if any

What it rewrites:
- `TempRepository` -> `TestRepository` (the type, `TempRepository.gitCLI`, `TempRepository(bare:)`);
- `try #require(X.read(...))` -> `try X.read(...)`: `read` throws and returns the text (the old
  `TestRepository.read` returned an optional);
- `X.read("...")` without `try` (the old optional form) -> `X.contents("...")`, nil when absent.
The compatibility alias in Tests/RecTrackTestSupport/TempRepository.swift is left alone.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEEP = {ROOT / "Tests/RecTrackTestSupport/TempRepository.swift"}
RULES = [
    (re.compile(r"\bTempRepository\b"), "TestRepository"),
    (re.compile(r"#require\((\w+(?:\.\w+)*)\.read\(([^()]*)\)\)"), r"\1.read(\2)"),
    # A `read` without `try` used the old optional form: `contents` returns nil for no file.
    (re.compile(r"(?<!try )(?<!try\? )(?<![\w.])(\w+)\.read\((?!\w+:)(?=\")"), r"\1.contents("),
]


def main() -> int:
    check = "--check" in sys.argv[1:]
    changed = []
    for path in sorted((ROOT / "Tests").rglob("*.swift")):
        if path in KEEP:
            continue
        text = path.read_text(encoding="utf-8")
        new = text
        for pattern, replacement in RULES:
            new = pattern.sub(replacement, new)
        if new != text:
            changed.append(path.relative_to(ROOT))
            if not check:
                path.write_text(new, encoding="utf-8")
    for p in changed:
        print(("would change " if check else "changed ") + str(p))
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
