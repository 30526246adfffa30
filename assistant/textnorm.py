"""Text normalisation shared by cleaning, quote matching and evaluation.

Quotes must be found back in the source whatever typography each rendering used, so every comparison of
quotes against text goes through :func:`match_key`.
"""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"«": '"', "»": '"', "‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "‚": "'"})
_HYPHEN_BREAK = re.compile(r"-\s*\n\s*")
_SPACE = re.compile(r"\s+")


def match_key(text: str) -> str:
    """Fold typography, line breaks and case so two renderings of one sentence compare equal."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub("-", text)
    return _SPACE.sub(" ", text).strip().lower()
