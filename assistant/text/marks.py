"""Marks in a document's text that are layout, not words: superscript footnote numbers and the bullets or
numbers that open list items."""

from __future__ import annotations

import re

SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Footnote marks blanked out, offsets kept: text read for words, whose positions still point into the document.
SUPERSCRIPT_BLANKS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", " " * 10)
# A footnote number written as its mark ("17" -> "¹⁷").
TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# A list item: a paragraph that starts with a bullet or a number ("1.", "•", "○").
LIST_ITEM = re.compile(r"\s*\n\s*(?:[•○◦▪■●-]|\d{1,2}\.)\s[^\n]*")
# The number that opens a list item ("3. Indien het subsidieplafond …"): where the item stands (the third), no count
# of anything. Group 1 is the number.
ITEM_NUMBER = re.compile(r"(?:^|\n)[ \t]*(\d{1,2})[.)](?=\s)")
