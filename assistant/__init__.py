"""A local policy assistant: cited answers from Dutch digitalisation policy documents.

The public API, imported on first use so that `import assistant` (and `assistant --help`) stays instant::

    from assistant import Answerer, Settings

    answer = Answerer(Settings()).ask("Wat is de Werkagenda?")

(`assistant.ingest.ingest(settings)` builds the index first; it is not re-exported here because the module
`assistant.ingest` bears the same name.)

The layers behind it, and where to change what, are in the README's Architecture section.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answer.answerer import Answerer, Turn
    from assistant.config import Settings
    from assistant.retrieve import Filters, Searcher
    from assistant.types import Answer, AssistantError, Citation

_EXPORTS = {
    "Settings": "assistant.config",
    "Searcher": "assistant.retrieve",
    "Filters": "assistant.retrieve",
    "Answerer": "assistant.answer.answerer",
    "Turn": "assistant.answer.answerer",
    "Answer": "assistant.types",
    "Citation": "assistant.types",
    "AssistantError": "assistant.types",
}
__all__ = ["Answer", "Answerer", "AssistantError", "Citation", "Filters", "Searcher", "Settings", "Turn"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
