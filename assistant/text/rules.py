"""Language rules as data: the word lists and patterns by which questions, instructions, dates and numbers are
recognised live in TOML files in `assistant/rules/`, and are read here and nowhere else.

A rules file holds `[[rule]]` tables, each with a `name`, a `why`, a `pattern` (a regular expression; `flags`
"i", "m" or "s"), and `examples` it must match and `non_examples` it must not (the tests check both, so a rule
changed for one question shows what it does to the others). A pattern may use `${name}`: a `[fragments]` entry of
the same file, the keys of a table of the same file, or a word list of `words.toml` ("months.nl"), written as
alternatives. `words.toml` holds the word
lists: months, spelled-out numbers with their values, and the like.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
_PLACEHOLDER = re.compile(r"\$\{([\w.]+)\}")


@dataclass(frozen=True)
class Rule:
    """One named pattern with the reason it exists and the sentences that show what it does and does not catch."""

    kind: str
    name: str
    why: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    non_examples: tuple[str, ...]


@cache
def _data(kind: str) -> dict[str, Any]:
    return tomllib.loads(files("assistant").joinpath("rules", f"{kind}.toml").read_text(encoding="utf-8"))


def kinds() -> list[str]:
    """The names of the rules files (without `.toml`), `words` included."""
    return sorted(p.name.removesuffix(".toml") for p in files("assistant").joinpath("rules").iterdir()
                  if p.name.endswith(".toml"))


def words(name: str) -> Any:
    """A word list (or table of words with values) of `words.toml`, by dotted name: `words("months.en")`."""
    value: Any = _data("words")
    for part in name.split("."):
        value = value[part]
    return value


@cache
def numbers() -> dict[str, int]:
    """The spelled-out numbers of both languages with their values ("vier": 4, "twelve": 12)."""
    return {w: n for lang in ("nl", "en") for w, n in words(f"numbers.{lang}").items()}


@cache
def ordinals() -> dict[str, int]:
    """The ordinal numbers of both languages with their values ("tweede": 2, "third": 3)."""
    return {w: n for lang in ("nl", "en") for w, n in words(f"ordinals.{lang}").items()}


def alternatives(name: str) -> str:
    """A word list as regular-expression alternatives (longest first, so "twintig" wins over "twee")."""
    return "|".join(sorted((re.escape(w) for w in words(name)), key=len, reverse=True))


def _expanded(kind: str, text: str) -> str:
    fragments = _data(kind).get("fragments", {})

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in fragments:
            return _expanded(kind, fragments[name])
        if isinstance(_data(kind).get(name), dict):  # a table keyed by patterns: any of its keys
            return "|".join(_data(kind)[name])
        return alternatives(name)

    return _PLACEHOLDER.sub(fill, text)


@cache
def rules(kind: str) -> dict[str, Rule]:
    """Every rule of `assistant/rules/<kind>.toml`, by name, compiled."""
    found = {}
    for entry in _data(kind).get("rule", []):
        flags = 0
        for letter in entry.get("flags", ""):
            flags |= _FLAGS[letter]
        found[entry["name"]] = Rule(kind, entry["name"], entry["why"],
                                    re.compile(_expanded(kind, entry["pattern"]), flags),
                                    tuple(entry.get("examples", ())), tuple(entry.get("non_examples", ())))
    return found


def table(kind: str, name: str) -> dict[str, Any]:
    """A table of a rules file other than its rules (e.g. the kinds of reference each noun asks for)."""
    return _data(kind)[name]


def rule(kind: str, name: str) -> re.Pattern[str]:
    """One rule's compiled pattern."""
    return rules(kind)[name].pattern


@cache
def any_rule(kind: str) -> re.Pattern[str]:
    """One pattern that matches where any rule of `kind` matches (all its rules share their flags)."""
    every = list(rules(kind).values())
    return re.compile("|".join(r.pattern.pattern for r in every), every[0].pattern.flags)
