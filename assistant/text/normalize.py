"""Text normalisation and language detection shared by cleaning, retrieval, answering and evaluation.

Quotes must be found back in the source whatever typography each rendering used, so every comparison of
quotes against text goes through :func:`match_key`; every id made from text goes through :func:`slug`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from assistant.text.marks import SUPERSCRIPT

# Typography that differs between renderings of one text and between a document and what a user types: every
# quote mark becomes a straight one, every dash a hyphen; soft hyphens and zero-width characters go.
_TYPOGRAPHY = str.maketrans({
    **dict.fromkeys("‘’‚‛`´′", "'"), **dict.fromkeys("«»“”„‟″", '"'), **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\ufeff", ""),
})
_HYPHEN_BREAK = re.compile(r"-\s*\n\s*")
_SPACE = re.compile(r"\s+")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SHOUTED_WORDS = 3


def fold(text: str) -> str:
    """`text` with its typography folded, for whatever reads it for words or meaning (the embedder, the lexical
    tokens): compatibility forms (ligatures "ﬁ", full-width letters) to their plain letters, quote marks and dashes
    to one of each, soft hyphens out, and footnote marks ("zien¹⁰") out rather than read as digits. Case and
    accents stay: the embedder reads them."""
    return unicodedata.normalize("NFKC", SUPERSCRIPT.sub("", text)).translate(_TYPOGRAPHY)


def unaccented(text: str) -> str:
    """`text` without its accents ("ideeën" -> "ideeen", "café" -> "cafe"): users often type words without them."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def shouted(text: str) -> bool:
    """Whether `text` is typed in capitals: three words or more ("AI ACT" may be a name), none in lower case."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) >= _SHOUTED_WORDS and bool(letters) and not any(c.islower() for c in letters)


def unshouted(text: str, written: Mapping[str, str] = MappingProxyType({})) -> str:
    """A question typed in capitals ("WAT ZIJN DE VIER THEMA’S?") as it would be written: each word as the
    documents write it most often (`written`, by the word in capitals: "IENW" -> "IenW", "HUFFELEN" ->
    "Huffelen"), any other in lower case, the first letter a capital. The embedder reads case: a question in
    capitals lands far from its own sentences, and every word of it looks like an abbreviation, a name no
    dictionary translates. Other text is returned as it is."""
    if not shouted(text):
        return text
    text = re.sub(r"[^\W\d_]+", lambda m: written.get(m.group(0), m.group(0).lower()), text)
    first = next((i for i, c in enumerate(text) if c.isalpha()), 0)
    return text[:first] + text[first : first + 1].upper() + text[first + 1 :]


def written_forms(texts: Iterable[str]) -> dict[str, str]:
    """Each word of `texts` in the form they write it most often, by the word in capitals ("IENW": "IenW",
    "DE": "de"): how a question typed in capitals is read (`unshouted`)."""
    counts = Counter(w for text in texts for w in re.findall(r"[^\W\d_]+", text))
    forms: dict[str, str] = {}
    for word, _ in counts.most_common():
        forms.setdefault(word.upper(), word)
    return forms


def match_key(text: str) -> str:
    """Fold typography, footnote marks, line breaks and case so two renderings of one sentence compare equal."""
    text = _HYPHEN_BREAK.sub("-", fold(text))
    return _SPACE.sub(" ", text).strip().lower()


_EN = set("the of and to in is are what which who how does do did why when where with for by on this that an a".split())
# English words that carry no content of their own: a question's other words are the ones looked up by meaning
FUNCTION_WORDS_EN = _EN | set(
    "about above after again against all also am any as at be been before being below between both but can could "
    "down during each either few from further had has have having he her here hers him his i if into it its "
    "itself just may me might more most must my no nor not now off once only or other our ours out over own same "
    "shall she should so some such than their theirs them then there these they those through too under until up "
    "very was we were whether while whom whose will would yet you your according say says said tell give list "
    "name describe explain mention mentioned mentions".split()
)
_NL = set("de het een en van in is zijn wat welke welk wie hoe hoeveel waarom wanneer waar met voor door op dit dat "
          "die er aan bij naar uit te om wordt worden heeft hebben kan kunnen ook niet nog deze als ik hun".split())


def language_of(text: str, default: str = "nl") -> str:
    """'en' or 'nl', from function words (the two languages the corpus and its users speak); `default` when the
    text holds as many of one as of the other (a reference such as "Kamerstukken II 2022/23, 26 643, nr. 1055")."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    en, nl = sum(w in _EN for w in words), sum(w in _NL for w in words)
    return "en" if en > nl else "nl" if nl > en else default


def writes_other(text: str, language: str) -> bool:
    """Whether a text uses, even once, a function word of the other language that `language` has not: an English
    one in Dutch ("the", "of", "which"), a Dutch one in English ("het", "een", "welke")."""
    other, own = (_NL, _EN) if language == "en" else (_EN, _NL)
    return any(w in other and w not in own for w in re.findall(r"[a-z]+", text.lower()))


def recognised(text: str) -> bool:
    """Whether a question of several words uses any Dutch or English function word at all."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    return len(words) < 4 or any(w in _EN or w in _NL for w in words)


def slug(text: str, max_chars: int | None = None, empty: str = "") -> str:
    """`text` in lower-case ASCII letters and digits joined by hyphens, for an id (`empty` when nothing is left).
    Longer than `max_chars`, it keeps its start and a hash of the whole, so ids made from long names stay
    distinct and file names made from them stay under the file system's 255 bytes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or empty
    if max_chars is None or len(made) <= max_chars:
        return made
    return made[: max_chars - 9].rstrip("-") + "-" + hashlib.sha256(made.encode()).hexdigest()[:8]
