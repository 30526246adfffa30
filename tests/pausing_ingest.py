"""`assistant ingest` that stops at named moments of writing the next index generation until told to go on.

A test then kills, searches or asks at a known state of the ingest instead of at a guessed time:

    python tests/pausing_ingest.py POINT[,POINT...] [INGEST ARGS...]

At each named point the process prints `paused at POINT` on stdout (flushed) and waits for a line on stdin.
The points, in the order an ingest passes them (each pauses once):

- `writing`: the next generation's directory exists and the first changed document is about to be stored
  (its chunks embedded into the vector store);
- `committing`: every document is embedded; the lexical index, words and state are about to be written;
- `flip`: the generation is complete on disk, and the pointer to it is about to be replaced;
- `flipped`: the pointer names the new generation: the ingest is committed.

Nothing in the product changes: the pauses wrap `Writer.add`, `Writer.commit` and the pointer's `os.replace`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

POINTS = ("writing", "committing", "flip", "flipped")


def main() -> None:
    from assistant.cli import cli
    from assistant.index import writer

    wanted = set(sys.argv[1].split(",")) if len(sys.argv) > 1 and sys.argv[1] else set()
    unknown = wanted - set(POINTS)
    if unknown:
        raise SystemExit(f"unknown pause point(s): {sorted(unknown)}; known: {', '.join(POINTS)}")

    def pause(point: str) -> None:
        if point in wanted:
            wanted.discard(point)
            print(f"paused at {point}", flush=True)
            sys.stdin.readline()

    add, commit, replace = writer.Writer.add, writer.Writer.commit, os.replace

    def paused_add(self: Any, *args: Any, **kwargs: Any) -> Any:
        pause("writing")
        return add(self, *args, **kwargs)

    def paused_commit(self: Any) -> Any:
        pause("committing")
        return commit(self)

    def paused_replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.path.basename(dst) != "CURRENT":
            return replace(src, dst, *args, **kwargs)
        pause("flip")
        replace(src, dst, *args, **kwargs)
        pause("flipped")
        return None

    writer.Writer.add, writer.Writer.commit, os.replace = paused_add, paused_commit, paused_replace
    cli(["ingest", *sys.argv[2:]], prog_name="assistant")


class PausedIngest:
    """The pausing ingest in a subprocess: `reach(point)` returns once it waits there, `go_on()` lets it go on."""

    def __init__(self, points: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        with open(log, "w", encoding="utf-8") as err:
            self.proc = subprocess.Popen([sys.executable, __file__, ",".join(points)], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=err, text=True, env=env, cwd=cwd)

    def __enter__(self) -> PausedIngest:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.kill()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def reach(self, point: str) -> None:
        """Wait (on the process's own word) until the ingest is paused at `point`."""
        for line in self.proc.stdout:
            if line.strip() == f"paused at {point}":
                return
        code = self.proc.wait()
        raise AssertionError(f"the ingest ended (exit {code}) before pausing at {point}:\n{self.errors()}")

    def go_on(self) -> None:
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def finish(self) -> int:
        """Let it run to the end (any later pause goes on at once) and return its exit code."""
        self.proc.stdin.close()
        self.proc.stdout.read()
        return self.proc.wait()

    def kill(self) -> None:
        """`kill -9`: the process gets no chance to clean up."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def errors(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    main()
