"""py/precis runs in Pyodide, which has no numpy and gets markupsafe without its C speedups.
Import every module (and render a chat template) in a fresh interpreter where those are blocked."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "py" / "precis"

CHECK = """
import importlib, sys
sys.modules["numpy"] = None               # import numpy -> ImportError
sys.modules["markupsafe._speedups"] = None  # Pyodide gets pure-Python markupsafe
for name in sys.argv[1:]:
    importlib.import_module(name)
from precis.chat_template import ChatTemplate
text = ChatTemplate("{{ bos_token }}{{ messages[0]['content'] | tojson }}", {"bos_token": "<s>"}).render(
    [{"role": "user", "content": "<b>&"}])
assert text == '<s>"<b>&"', text
print("ok", len(sys.argv) - 1)
"""


def test_every_precis_module_imports_without_numpy_or_c_extensions():
    modules = ["precis." + p.stem for p in sorted(PACKAGE.glob("*.py")) if p.stem != "__init__"]
    assert "precis.chat_template" in modules and "precis.generation" in modules
    proc = subprocess.run([sys.executable, "-c", CHECK, *modules], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == f"ok {len(modules)}"
