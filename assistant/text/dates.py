"""Month names, in calendar order (`assistant/rules/words.toml`): the one list every date pattern is built from."""

from __future__ import annotations

from assistant.text import rules

MONTHS = tuple(rules.words("months.nl"))
MONTHS_EN = tuple(rules.words("months.en"))
