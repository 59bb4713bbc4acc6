"""Précis: the Python that runs in the browser (Pyodide) and in CPython alike. Stdlib only."""

__version__ = "0.1.0"
