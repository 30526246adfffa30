"""The README documents every setting, and its set-up commands are the ones CI runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _env_names(model: type[BaseModel], prefix: str = "ASSISTANT_") -> list[str]:
    names = []
    for name, field in model.model_fields.items():
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            names += _env_names(field.annotation, f"{prefix}{name.upper()}__")
        else:
            names.append(f"{prefix}{name.upper()}")
    return names


@pytest.mark.parametrize("env_name", _env_names(Settings))
def test_every_setting_is_in_the_readme(env_name: str) -> None:
    assert f"| `{env_name}` |" in README, f"{env_name} is not documented in README.md"


def test_every_setting_has_a_description() -> None:
    def walk(model: type[BaseModel]) -> list[str]:
        missing = []
        for name, field in model.model_fields.items():
            if not field.description:
                missing.append(name)
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
                missing += walk(field.annotation)
        return missing

    assert walk(Settings) == []


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(line for line in README.splitlines() if "pytest" in line and line.startswith("python3"))
    assert test_command in ci


def test_unknown_toml_key_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "assistant.toml").write_text("[retrieval]\nkk = 3\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="kk"):
        Settings()


def test_env_overrides_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "custom.toml").write_text("[retrieval]\nk = 7\n[chunking]\ntarget_chars = 800\n")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "custom.toml"))
    monkeypatch.setenv("ASSISTANT_CHUNKING__TARGET_CHARS", "700")
    settings = Settings()
    assert settings.retrieval.k == 7
    assert settings.chunking.target_chars == 700
