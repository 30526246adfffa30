"""Build `assistant/rules/lexicon/en-gb-us.tsv`, the British and American spellings of English words
("organisation" / "organization", "centres" / "centers"), from the word lists of breame 0.1.2 (Apache-2.0, see
`assistant/rules/lexicon/README.md`).

Usage:  pip download --no-deps breame==0.1.2 && tar xzf breame-0.1.2.tar.gz
        python evals/build_spelling.py breame-0.1.2/breame/data/spelling_constants.py

Kept: pairs of single lower-case words that differ, British first.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "assistant" / "rules" / "lexicon" / "en-gb-us.tsv"
_WORD = re.compile(r"^[a-z]+$")


def pairs(source: Path) -> list[tuple[str, str]]:
    """The (British, American) pairs of breame's `BRITISH_ENGLISH_SPELLINGS`, read without importing it."""
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "BRITISH_ENGLISH_SPELLINGS"
                                                 for t in node.targets):
            table = ast.literal_eval(node.value)
            return sorted((gb, us) for gb, us in table.items() if gb != us and _WORD.match(gb) and _WORD.match(us))
    raise SystemExit(f"{source}: no BRITISH_ENGLISH_SPELLINGS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="breame's data/spelling_constants.py")
    found = pairs(parser.parse_args().source)
    OUT.write_text("".join(f"{gb}\t{us}\n" for gb, us in found), encoding="utf-8")
    print(f"{len(found)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
