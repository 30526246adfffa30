"""Reliability figures: crash trials survived, hostile files handled, index checks, from the tests that prove them.

Usage (needs the test extras, `pip install -e ".[test]"`; about five minutes on 2 cores):
    python evals/bench_reliability.py

Runs `tests/system/test_crash.py` (kill -9 at 20 moments of an ingest, a search during an ingest),
`tests/system/test_hostile.py` (each broken or hostile file through `ingest` and through an upload, hostile names,
links and pipes, 50 MB files) and `tests/ingest/test_doctor.py` (integrity check and repair, a full disk, two serve
processes on one Chroma server) with pytest, and counts what passed. A file (or a file name) counts as handled
when both of its tests pass, through `ingest` and through an upload: a clear per-file error or a correct ingest,
nothing else lost.
Results go to stdout and `evals/reports/reliability.json`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "evals" / "reports" / "reliability.json"
FILES = ["tests/system/test_crash.py", "tests/system/test_hostile.py", "tests/ingest/test_doctor.py"]
CRASH_TRIALS = 20  # the kill moments of tests/system/test_crash.py::test_kill_9_at_any_moment_of_an_ingest


def outcomes(junit: Path) -> dict[str, str]:
    """Test id -> passed, failed, skipped (from pytest's JUnit XML)."""
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        kinds = {child.tag for child in case}
        out[name] = "failed" if kinds & {"failure", "error"} else "skipped" if "skipped" in kinds else "passed"
    return out


def main() -> int:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        subprocess.run([sys.executable, "-m", "pytest", *FILES, "-q", "-p", "no:cacheprovider",
                        f"--junitxml={junit}"], cwd=ROOT, check=False)
        results = outcomes(junit)
    files: dict[str, list[str]] = defaultdict(list)
    names: dict[str, list[str]] = defaultdict(list)
    for name, outcome in results.items():
        m = re.match(r"test_hostile::test_(?:(?:ingest|add_document)_hostile_file|a_one_megabyte_\w+)\[(.+)\]$", name)
        if m:  # a megabyte-long line only through `ingest`, as a command with a time limit
            files[m.group(1)] += [outcome] * (2 if "megabyte" in name else 1)
        m = re.match(r"test_hostile::test_hostile_name_(?:dropped_into_the_corpus|uploaded)\[(.+)\]$", name)
        if m:
            names[m.group(1)].append(outcome)
    handled = sorted(case for case, seen in files.items() if len(seen) == 2 and set(seen) == {"passed"})
    named = [key for key, seen in names.items() if len(seen) == 2 and set(seen) == {"passed"}]
    crash = results.get("test_crash::test_kill_9_at_any_moment_of_an_ingest")
    report = {
        "crash_trials_survived": f"{CRASH_TRIALS}/{CRASH_TRIALS}" if crash == "passed" else f"not all: test {crash}",
        "hostile_files_handled": f"{len(handled)}/{len(files)}",
        "hostile_files_not_handled": sorted(set(files) - set(handled)),
        "hostile_names_handled": f"{len(named)}/{len(names)}",
        "tests": {"passed": sum(v == "passed" for v in results.values()),
                  "failed": sorted(k for k, v in results.items() if v == "failed"),
                  "skipped": sum(v == "skipped" for v in results.values())},
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if not report["tests"]["failed"] and crash == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
