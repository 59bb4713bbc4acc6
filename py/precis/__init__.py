"""Précis: the Python that runs in the browser (Pyodide) and in CPython alike. Stdlib only."""

from importlib import metadata as _metadata

try:
    # One source of truth: pyproject.toml's version, as installed (pip in CPython, micropip in Pyodide).
    __version__ = _metadata.version("precis")
except _metadata.PackageNotFoundError:  # running from a bare source tree
    __version__ = "0+unknown"
