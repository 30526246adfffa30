"""Read one file (PDF, HTML, text, Markdown) into clean blocks with pages and footnotes.

Every loader ends in the same `Rendering`: a list of headings and paragraphs whose text is already
cleaned the way citations need it (ligatures, soft hyphens, line-break hyphenation, page furniture), so
`documents` can merge renderings and `chunking` never sees layout.
"""

from assistant.sources.loaders.decoding import clean_text, decode
from assistant.sources.loaders.dispatch import SUPPORTED, load
from assistant.sources.loaders.footnotes import marker
from assistant.sources.loaders.rendering import Block, Rendering, find_date

__all__ = ["SUPPORTED", "Block", "Rendering", "clean_text", "decode", "find_date", "load", "marker"]
