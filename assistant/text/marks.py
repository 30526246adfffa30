"""Marks in a document's text that are layout, not words: superscript footnote numbers and the bullets or
numbers that open list items."""

from __future__ import annotations

import re

SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A list item: a paragraph that starts with a bullet or a number ("1.", "•", "○").
LIST_ITEM = re.compile(r"\s*\n\s*(?:[•○◦▪■●-]|\d{1,2}\.)\s[^\n]*")
