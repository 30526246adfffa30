"""Month names, in calendar order (`assistant/rules/words.toml`): the one list every date pattern is built from."""

from __future__ import annotations

from assistant.text import rules

MONTHS = tuple(rules.words("months.nl"))
MONTHS_EN = tuple(rules.words("months.en"))
# Either language's month names, for patterns that read the dates of both ("7 juli 2023", "8 October 2024"); an
# English one only capitalised, as English writes it, so the verb "may" in a pattern read without case is no month
MONTH_NAMES = "|".join(MONTHS) + "|(?-i:" + "|".join(MONTHS_EN) + ")"


def month_number(name: str) -> int:
    """The month a Dutch or English month name is, however cased: 1 for "januari" and for "January"."""
    name = name.lower()
    return (MONTHS.index(name) if name in MONTHS else [m.lower() for m in MONTHS_EN].index(name)) + 1
