"""From a file's bytes to text a citation can quote verbatim: the encoding found, the typography made uniform.

Every loader reads its text through here, and so does the evaluation's check that a quote stands in a file.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from assistant.types import AssistantError

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """Typography clean-up that keeps every character a reader can see (quotes stay verbatim)."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).replace("\u00ad", "").replace("\ufeff", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def decode(data: bytes, path: Path) -> str:
    """Bytes to text: UTF-8 first, else the detected encoding, else a clear refusal."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AssistantError(f"{path.name}: binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    # Dutch text that is not UTF-8 is almost always Windows-1252 (a superset of Latin-1's printable range);
    # detection alone takes short Dutch texts for Central European code pages ("geïnvesteerd" -> "geďnvesteerd").
    # Line by line, because files pasted together from several sources mix the two.
    try:
        return "".join(_utf8_or_cp1252(line) for line in data.splitlines(keepends=True))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise AssistantError(f"{path.name}: not UTF-8 and no text encoding could be detected")
    return str(best)


def _utf8_or_cp1252(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252")
