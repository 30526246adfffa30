"""British and American spellings of an English word read as one word: "organisation" and "organization",
"centres" and "centers", "programme" and "program" (the pairs of `assistant/rules/lexicon/en-gb-us.tsv`, from
breame; see the README there). EU and OECD papers write British English, a question may not: the lexical index,
the dictionary and the compounds of two English words all read the American spelling.

The Dutch documents hold hardly any of the British words ("centre" once in the bundled letter); where one does
("analyse"), documents and questions read it alike.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def _american() -> dict[str, str]:
    text = files("assistant").joinpath("rules", "lexicon", "en-gb-us.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines())


def american(word: str) -> str:
    """A lower-case `word` in its American spelling where it has a British one ("centres": "centers"), else as
    it is."""
    return _american().get(word, word)
