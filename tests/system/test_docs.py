"""The README documents every setting, and its set-up commands are the ones CI runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from assistant.config import Settings

ROOT = Path(__file__).resolve().parents[2]
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


def test_the_deployment_files_name_real_settings_files_and_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    """deploy/compose.yaml and deploy/Dockerfile cannot be run here (no Docker): what they name is checked."""
    import re

    import chromadb
    import yaml

    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    docker = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    known = set(_env_names(Settings)) | {"ASSISTANT_CONFIG"}
    service = compose["services"]["assistant"]
    env = dict(item.split("=", 1) for item in service["environment"])
    assert {k for k in env if k.startswith("ASSISTANT_")} <= known
    assert set(re.findall(r"\b(ASSISTANT_\w+)=", docker)) <= known
    assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    for source in (s for line in re.findall(r"^COPY (.+) \S+$", docker, re.M) for s in line.split()):
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which the repository does not have"
    assert compose["services"]["chroma"]["image"] == f"chromadb/chroma:{chromadb.__version__}"
    assert "/health" in docker and '"serve", "--host", "0.0.0.0"' in docker
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ASSISTANT_CONFIG", "/nonexistent/assistant.toml")
    settings = Settings()
    assert (settings.chroma.host, settings.chroma.port, settings.llm.backend) == ("chroma", 8000, "ollama")
    assert settings.ollama_host == "http://ollama:11434"


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "evals").glob("*.py")))
def test_every_evaluation_script_starts(script: str) -> None:
    """The benchmarks the README quotes must run as documented: an import that broke shows here, not later."""
    done = subprocess.run([sys.executable, str(ROOT / "evals" / script), "--help"], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0 and "usage" in done.stdout.lower(), done.stderr[-2000:]


def test_the_architecture_section_names_real_files_and_every_layer() -> None:
    """The README's map of the package stays true: each file or folder it names exists, and its diagram draws the
    layers of the import-linter contract, in their order."""
    import re
    import tomllib

    section = README[README.index("## Architecture"):README.index("\n## ", README.index("## Architecture") + 3)]
    named = set(re.findall(r"`((?:assistant/|tests/|evals/)?[\w./]+(?:\.py|\.toml|/))`", section))
    named |= set(re.findall(r"\b(assistant/[\w/]+(?:\.py|/))", section))
    assert len(named) > 25, named
    missing = [n for n in named if not ((ROOT / n).exists() or (ROOT / "assistant" / n).exists())]
    assert missing == []
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    diagram = section.split("```")[1]
    drawn = [" | ".join(name.strip() for name in m.group(1).split("|"))
             for m in re.finditer(r"^([a-z]+(?: +\| +[a-z]+)*) {2,}", diagram, re.M)]
    assert drawn == [" | ".join(n.strip() for n in line.split("|")) for line in contract["contracts"][0]["layers"]]
