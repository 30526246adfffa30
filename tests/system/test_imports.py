"""The package's layers only point down (the import-linter contract in pyproject.toml, imports inside functions
counted), no module imports in a cycle, and every module imports on its own."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assistant"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def modules() -> list[str]:
    """Every module of the package, dotted (`assistant.answer.cite`)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def module_imports() -> dict[str, set[str]]:
    """Each module with the package modules it imports anywhere in its body (`from a import b` counts as an
    import of `a.b` when that is a module, else of `a`)."""
    names = set(modules())
    graph: dict[str, set[str]] = {}
    for name in names:
        path = ROOT.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "assistant":
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    found.add(sub if sub in names else node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name in names}
        graph[name] = found & names - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, once each, as the path of modules that closes it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph[path[-1]]):
            if nxt == path[0]:
                if frozenset(path) not in seen:
                    seen.add(frozenset(path))
                    found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:  # each cycle is found from its smallest module only
                walk([*path, nxt])

    for start in sorted(graph):
        walk([start])
    return found


def test_no_import_cycles() -> None:
    graph = module_imports()
    assert graph["assistant.ingest"] >= {"assistant.index.versions", "assistant.health"}  # the graph is read
    assert cycles(graph) == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles(graph))


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def lint(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)], cwd=root, text=True,
                          capture_output=True, timeout=600, env={"PYTHONPATH": str(root), "PATH": ""})


def test_layers_only_point_down() -> None:
    result = lint(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0 and "Layers only point down KEPT" in result.stdout, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The contract is not vacuous: the same package, under another name so the installed one is not read, with
    one lazy import from the bottom layer to the top, breaks it."""
    copy = tmp_path / "layered"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for path in copy.rglob("*.py"):
        path.write_text(re.sub(r"\bassistant\b(?=[.\s])", "layered", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = config["contracts"][0]
    (tmp_path / "contract.toml").write_text(
        '[tool.importlinter]\nroot_package = "layered"\n[[tool.importlinter.contracts]]\n'
        f'name = "{contract["name"]}"\ntype = "layers"\ncontainers = ["layered"]\n'
        f"layers = {contract['layers']!r}\nexhaustive = true\n".replace("'", '"'),
        encoding="utf-8")
    assert lint(tmp_path, tmp_path / "contract.toml").returncode == 0, "the renamed copy keeps the contract"
    with (copy / "types.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef _upward() -> None:\n    from layered import cli  # noqa: F401\n")
    result = lint(tmp_path, tmp_path / "contract.toml")
    assert result.returncode == 1 and "BROKEN" in result.stdout, result.stdout + result.stderr
    assert "layered.types -> layered.cli" in result.stdout, result.stdout


@pytest.mark.parametrize("module", modules())
def test_each_module_imports_on_its_own(module: str) -> None:
    """A module that only works after another was imported first hides a dependency; each is imported in a
    fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr


def test_the_public_api_is_imported_on_first_use() -> None:
    """`import assistant` is instant (no model, store or web library), and each public name resolves."""
    code = ("import sys, assistant; heavy = {'gradio', 'chromadb', 'llama_cpp', 'torch', 'langchain_core', 'numpy'};"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy));"
            "print(sorted(n for n in assistant.__all__ if getattr(assistant, n).__name__ != n))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "[]"], result.stdout
    import assistant

    assert set(assistant.__all__) == set(assistant._EXPORTS)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        assistant.nothing  # noqa: B018
