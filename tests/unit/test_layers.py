"""The Python layers import downwards only (docs/ARCHITECTURE.md): the engine (py/precis) knows nothing of the
oracles or the packaging backend, the oracles (build/precis_oracles) know only the engine, and nothing the
product or the CLI runs imports the test harness (tests/harness)."""
import ast
from pathlib import Path

import pytest

from precis_build.paths import REPO_ROOT

OURS = {"precis", "precis_oracles", "precis_build", "harness"}   # first-party top-level packages

ALLOWED = {
    "py/precis": {"precis"},
    "build/precis_oracles": {"precis", "precis_oracles"},
    "build/precis_build": {"precis", "precis_oracles", "precis_build"},
}


def first_party_imports(source: str) -> set[str]:
    """The first-party top-level packages a module imports, wherever the import is (lazy ones too)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & OURS


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(folder):
    files = sorted((REPO_ROOT / folder).rglob("*.py"))
    assert len(files) >= 5, folder
    wrong = {f.relative_to(REPO_ROOT).as_posix(): sorted(found - ALLOWED[folder])
             for f in files if (found := first_party_imports(f.read_text(encoding="utf-8"))) - ALLOWED[folder]}
    assert wrong == {}


def test_a_lazy_import_of_a_higher_layer_is_found():
    source = "import numpy\ndef f():\n    from precis_build.paths import REPO_ROOT\n    import harness.tiny_models\n"
    assert first_party_imports(source) == {"precis_build", "harness"}
