"""The index directory's generations: which one is live, how the next one becomes live, and who may write.

Layout of the index directory::

    CURRENT          name of the live generation (replaced atomically)
    LOCK             held by the one ingest that may write
    gen-000007/      one generation (see `assistant.index` for what it holds)

An ingest copies the live generation, changes the copy, and only then points CURRENT at it. A kill at any
moment leaves CURRENT naming a complete generation, and readers never see a half-written one. Every file is
written whole (to a temporary name, synced, then renamed) so that this holds after a power cut too.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.types import AssistantError

_GEN = re.compile(r"^gen-(\d{6})$")


def generation_dirs(index_dir: Path) -> list[Path]:
    """Every generation directory in `index_dir`, oldest first."""
    return sorted(p for p in index_dir.iterdir() if _GEN.match(p.name))


def next_generation(index_dir: Path) -> Path:
    """The directory for a generation newer than any in `index_dir` (not created)."""
    number = max((int(_GEN.match(p.name).group(1)) for p in generation_dirs(index_dir)), default=0)
    return index_dir / f"gen-{number + 1:06d}"


def current_generation(index_dir: Path) -> str | None:
    """Name of the live generation, or None when nothing was ever committed."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AssistantError(f"cannot read index directory {index_dir}: {exc}") from exc
    if not _GEN.match(name) or not (index_dir / name / "state.json").exists():
        raise AssistantError(f"index pointer {index_dir / 'CURRENT'} is damaged; run `assistant ingest --rebuild`")
    return name


def make_current(gen_dir: Path) -> None:
    """Point CURRENT at the complete generation `gen_dir`: from here on it is the live one."""
    fsync_dir(gen_dir)
    index_dir = gen_dir.parent
    pointer = index_dir / "CURRENT.tmp"
    pointer.write_text(gen_dir.name, encoding="utf-8")
    os.replace(pointer, index_dir / "CURRENT")
    fsync_dir(index_dir)


def check_writable(index_dir: Path) -> None:
    """Create the index directory if needed and prove it writable with a file of this process's own (a shared
    probe name let two ingests starting together remove each other's probe)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=index_dir, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise AssistantError(f"index directory {index_dir} is not writable: {exc.strerror or exc}") from exc


@contextmanager
def ingest_lock(settings: Settings) -> Iterator[None]:
    """One writer at a time; a second ingest waits `lock_timeout_s`, then refuses with a clear message."""
    from filelock import FileLock, Timeout

    index_dir = settings.index_dir
    check_writable(index_dir)
    lock = FileLock(str(index_dir / "LOCK"))
    try:
        lock.acquire(timeout=settings.ingest.lock_timeout_s)
    except Timeout as exc:
        raise AssistantError(
            f"another ingest is writing {index_dir}; wait for it to finish (or set ASSISTANT_INGEST__LOCK_TIMEOUT_S)"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def write_json(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` whole or not at all."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
    """Make the entries of directory `path` (files created or renamed in it) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
