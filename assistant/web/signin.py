"""Sign-in for a team: wrong passwords held back per user name and client address, sign-ins that end, and the
sign-in log.

`Throttle` decides whether a password may be checked at all: after `ui.signin_limit` wrong ones from one address
for one name, that address waits, and the wait doubles with each further wrong password. Another address is never
held back, so a guesser cannot lock a person out. `Sessions` is the page's store of sign-in tokens, whose entries
expire. `SignInLog` appends one JSON line per event. Plain Python, so that `assistant sign-ins` reads the log
without loading the web stack.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections import UserDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Outcome = Literal["signed in", "failed", "throttled", "signed out"]
FAILURES: frozenset[str] = frozenset({"failed", "throttled"})
MAX_NAME = 200  # characters of a typed user name that are counted and logged
_SWEEP_AT = 10_000  # records kept before those with nothing left to count are dropped


@dataclass
class _Record:
    wrong: int = 0  # wrong passwords in a row, none of them forgotten yet
    last: float = 0.0  # when the last one was tried
    checking: int = 0  # passwords being checked right now
    refused: bool = False  # a refusal was logged since the last wrong password


@dataclass(frozen=True)
class Refusal:
    """An attempt that is not checked: the seconds until one may be, and whether it is the first refusal since the
    last wrong password (the one the log records)."""

    wait_s: int
    first: bool


class Throttle:
    """Wrong passwords counted per (user name, client address).

    From the `limit`-th wrong password on, the next attempt waits `backoff_s`, doubled with each further wrong one
    (at most `window_s`). The count is forgotten once `window_s` has passed without a wrong password after the
    wait they caused, and the right password clears it. A guesser gets at most `limit` tries per window and
    wait; guessing on only makes the wait longer. `admit` reserves a check before the password is looked at, so
    attempts sent all at once count too. The clock is a parameter so tests can move it."""

    def __init__(self, limit: int, window_s: float, backoff_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self.backoff_s, self.clock = limit, window_s, backoff_s, clock
        self._records: dict[tuple[str, str], _Record] = {}
        self._lock = threading.Lock()

    def admit(self, name: str, address: str) -> Refusal | None:
        """None: check this password now (then call `settle`); else the refusal."""
        with self._lock:
            now = self.clock()
            record = self._records.setdefault((name[:MAX_NAME], address), _Record())
            if record.wrong and now - self._free_at(record) >= self.window_s:
                record.wrong = 0
            if record.wrong < self.limit:
                free, wait = self.limit - record.wrong, 1.0  # the checks under way may all fail: wait for them
            else:
                wait = self._free_at(record) - now
                free = 1 if wait <= 0 else 0
            if record.checking < free:
                record.checking += 1
                self._sweep(now)
                return None
            first, record.refused = not record.refused, True
            return Refusal(max(1, math.ceil(wait)), first)

    def settle(self, name: str, address: str, right: bool | None) -> None:
        """The end of an admitted check: the right password clears the count, a wrong one adds to it; None when the
        request was not a sign-in after all (a form without a password)."""
        with self._lock:
            record = self._records.setdefault((name[:MAX_NAME], address), _Record())
            record.checking = max(0, record.checking - 1)
            if right is None:
                return
            record.wrong, record.last = (0, record.last) if right else (record.wrong + 1, self.clock())
            record.refused = False

    def _free_at(self, record: _Record) -> float:
        """When the next attempt may be checked: at once below the limit, else after the doubling wait."""
        if record.wrong < self.limit:
            return record.last
        return record.last + min(self.backoff_s * 2 ** min(record.wrong - self.limit, 32), self.window_s)

    def _sweep(self, now: float) -> None:
        """Forget the pairs with nothing left to count, once many names have been tried: a flood of made-up names
        must not grow the table without end."""
        if len(self._records) > _SWEEP_AT:
            self._records = {key: r for key, r in self._records.items()
                             if r.checking or (r.wrong and now - self._free_at(r) < self.window_s)}


class Sessions(UserDict[str, str]):
    """Sign-in tokens (token -> user name) that expire `lifetime_s` after they were made. Gradio keeps its tokens
    in this mapping and looks a visitor's up with `get` (or `in`), which forget an expired token: the page then
    asks for the password again."""

    def __init__(self, lifetime_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime_s, self.clock = lifetime_s, clock
        self._made: dict[str, float] = {}
        self._lock = threading.RLock()  # sign-ins, look-ups and sign-outs run on several threads
        super().__init__()

    def __setitem__(self, token: str, name: str) -> None:
        with self._lock:
            now = self.clock()
            for old, made in list(self._made.items()):
                if now - made >= self.lifetime_s:
                    self.pop(old, None)
            self._made[token] = now
            super().__setitem__(token, name)

    def __delitem__(self, token: str) -> None:
        with self._lock:
            self._made.pop(token, None)
            super().__delitem__(token)

    def get(self, token: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """The user the token signed in, unless it has expired (then it is forgotten)."""
        with self._lock:
            made = self._made.get(token)
            if made is not None and self.clock() - made >= self.lifetime_s:
                self.pop(token, None)
            return self.data.get(token, default)

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self.get(token) is not None


class SignInLog:
    """The sign-in log: one JSON line per event, appended to a file only its owner can read. JSON, so that a user
    name typed with a line break or control characters cannot forge a line. Not synced to disk on each line: a
    flood of attempts must not turn into a flood of disk flushes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def write(self, name: str, address: str, outcome: Outcome, **extra: int) -> None:
        row = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "user": name[:MAX_NAME], "address": address,
               "outcome": outcome, **extra}
        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)


def read_log(path: Path) -> Iterator[dict]:
    """The log's events, oldest first; a line that is not an event (a torn last write) is skipped."""
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(event, dict) and {"time", "user", "address", "outcome"} <= event.keys():
                yield event


def last_failures(path: Path, count: int) -> list[dict]:
    """The last `count` wrong passwords and throttled addresses in the log, oldest first."""
    return list(deque((e for e in read_log(path) if e["outcome"] in FAILURES), maxlen=count))
