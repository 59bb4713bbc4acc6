"""docs/ARCHITECTURE.md is the newcomer's first page: every path it names must exist."""
import re
from pathlib import Path

from precis_build.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "ARCHITECTURE.md"


def named_paths(text: str) -> list[str]:
    """Backticked names that look like repository paths (a folder/ or a file with an extension)."""
    return [name for name in re.findall(r"`([^`\s]+)`", text)
            if "/" in name and not name.startswith("precis ")]


def test_every_path_the_architecture_page_names_exists():
    names = named_paths(DOC.read_text(encoding="utf-8"))
    assert len(names) >= 30, names
    missing = [name for name in names
               if not (list(Path(REPO_ROOT).glob(name)) if "*" in name else (REPO_ROOT / name).exists())]
    assert missing == []


def test_a_path_that_does_not_exist_is_reported():
    assert named_paths("see `py/precis/nowhere.py` and `STYLES`") == ["py/precis/nowhere.py"]
