"""Several users at once through the real server and `gradio_client`, as `evals/bench_load.py` measures it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import cli_env, make_settings

from assistant.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "evals"))

import bench_load


@pytest.mark.slow
def test_eight_users_at_once_get_the_answers_one_user_gets(bundled: Settings, tmp_path: Path) -> None:
    shutil.copytree(bundled.corpus_dir, tmp_path / "corpus")
    shutil.copytree(bundled.index_dir, tmp_path / "index")
    settings = make_settings(tmp_path / "corpus", tmp_path / "index")
    pool = bench_load.answerable()[:16]
    with bench_load.serving("extractive", cli_env(settings), cwd=tmp_path) as (url, _):
        alone = bench_load.round_of(url, [pool], timeout_s=300)
        together = bench_load.round_of(url, [pool[2 * u : 2 * u + 2] for u in range(8)], timeout_s=300)
    assert alone["errors"] == [] and together["errors"] == []
    assert together["users"] == 8 and together["questions"] == 16
    assert together["answers"] == alone["answers"]  # no answer is mixed up with another user's
    assert len(together["uncited"]) < 4, together["uncited"]
    assert together["p95_s"] >= together["p50_s"] > 0 and together["per_s"] > 0
