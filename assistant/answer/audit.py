"""The opt-in audit log: one JSON line per answer (question, answer, citations, backend and model, time), for
accountability under the Woo and the Archiefwet. Append-only: the file is opened for appending and every
answer is one write, so earlier lines are never rewritten; nothing is logged unless `audit_path` is set.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from assistant.types import Answer

_LOCK = threading.Lock()


def record(path: Path, answer: Answer, via: str) -> None:
    """Append `answer` to the audit log at `path` (created with owner-only permissions)."""
    row = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "via": via,
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "citations": [{"n": c.n, "doc_id": c.doc_id, "identifier": c.identifier, "page": c.page,
                       "footnote": c.footnote, "quote": c.quote, "chunk_id": c.chunk_id} for c in answer.citations],
        "backend": answer.backend,
        "model": answer.model,
        "fallback": answer.fallback,
        "notices": answer.notices,
    }
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
