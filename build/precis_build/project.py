"""Facts about this project read from pyproject.toml (the one place they are written)."""

import tomllib
from functools import lru_cache

from precis_build.paths import REPO_ROOT


@lru_cache(maxsize=None)
def pyproject() -> dict:
    with open(REPO_ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def version() -> str:
    return pyproject()["project"]["version"]
