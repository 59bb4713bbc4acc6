"""Static checks of extension/'s JavaScript: the dev layer stays out of the product, the ES imports go one
way (no cycle), and, with the pinned TypeScript and ESLint (package.json's devDependencies, installed by the
`npm ci` that build/bootstrap.sh's `precis setup` runs), the JSDoc types check (`tsc --noEmit`, tsconfig.json)
and the linter (eslint.config.mjs) passes."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from precis_build.paths import REPO_ROOT

EXTENSION = REPO_ROOT / "extension"
DEV = EXTENSION / "dev"
# `import ... from "x"`, `import "x"`, `export ... from "x"` (static imports only: a dynamic import() is
# taken when it runs, so it cannot make a module graph that fails to load).
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'"`;]*?(?:\bfrom\s*)?["']([^"']+)["']""", re.M)


def extension_scripts() -> list:
    return sorted(p for p in EXTENSION.rglob("*.js") if p.is_file())


def imports_of(path: Path) -> list:
    """The extension files `path` imports statically (vendor/ and other packages left out)."""
    found = []
    for spec in IMPORT.findall(path.read_text()):
        if not spec.startswith("."):
            continue
        target = (path.parent / spec).resolve()
        if target.is_relative_to(EXTENSION.resolve()):
            found.append(target.relative_to(EXTENSION.resolve()).as_posix())
    return found


def import_graph() -> dict:
    return {p.relative_to(EXTENSION).as_posix(): imports_of(p) for p in extension_scripts()}


def find_cycle(graph: dict) -> list:
    """One import cycle as [a, b, ..., a], or [] when the graph has none (depth-first, three colours)."""
    state = {}   # node -> "open" (on the current path) | "done"
    path = []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        path.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return []


def test_the_cycle_finder_finds_a_cycle_and_passes_a_tree():
    assert find_cycle({"a.js": ["b.js"], "b.js": ["c.js"], "c.js": ["a.js"]}) == ["a.js", "b.js", "c.js", "a.js"]
    assert find_cycle({"a.js": ["b.js", "c.js"], "b.js": ["c.js"], "c.js": []}) == []
    assert IMPORT.findall('import { x } from "./a.js";\nimport "./b.js";\nexport { y } from "./c.js";\n'
                          'import {\n  p,\n  q,\n} from "./d.js";') == ["./a.js", "./b.js", "./c.js", "./d.js"]


def test_no_import_cycle_in_the_extension():
    graph = import_graph()
    assert "sidepanel/tabs.js" in graph and graph["sidepanel/sidepanel.js"]   # the graph was read
    assert find_cycle(graph) == []


def test_the_panel_imports_nothing_of_the_engine_but_its_client():
    """The panel talks to the engine through EngineClient only (no OPFS or device helper of the worker's)."""
    graph = import_graph()
    reached = {target for source, targets in graph.items() if source.startswith("sidepanel/") for target in targets
               if target.startswith("engine/")}
    assert reached == {"engine/engine_client.js"}


def test_the_product_has_no_test_hooks():
    """The tests' requests and hooks live in extension/dev/ only (which `precis pack` leaves out)."""
    offending = []
    for path in EXTENSION.rglob("*"):
        if path.is_file() and not path.is_relative_to(DEV) and path.suffix in (".js", ".html", ".json"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if "_for_test" in line or "test_hooks" in line:
                    offending.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert offending == []
    assert (DEV / "engine_test_hooks.js").exists() and "_for_test" in (DEV / "engine_test_hooks.js").read_text()
    # Nothing shipped imports the dev layer (only dev/ files and the tests' probe reach it).
    assert [s for s, targets in import_graph().items() if not s.startswith("dev/")
            and any(t.startswith("dev/") for t in targets)] == []


TYPE_CHECKED = [*extension_scripts(), REPO_ROOT / "build/precis_build/panel_probe.js"]
BOOTSTRAP = "run `bash build/bootstrap.sh` (its `precis setup` runs `npm ci`, which installs them from package-lock.json)"


def node_tool(script: str) -> list:
    """The command that runs a pinned npm tool of the repo's node_modules (never a global one)."""
    node = shutil.which("node")
    path = REPO_ROOT / "node_modules" / script
    if node is None or not path.exists():
        pytest.fail(f"{'node' if node is None else path.relative_to(REPO_ROOT)} is missing: {BOOTSTRAP}")
    return [node, str(path)]


def test_every_extension_script_is_type_checked():
    assert [p.relative_to(REPO_ROOT).as_posix() for p in TYPE_CHECKED
            if not p.read_text().startswith("// @ts-check\n")] == []


def test_tsc_finds_no_type_error():
    done = subprocess.run([*node_tool("typescript/bin/tsc"), "--noEmit", "-p", "."], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_eslint_finds_nothing():
    done = subprocess.run([*node_tool("eslint/bin/eslint.js"), "--max-warnings", "0", "extension",
                           "build/precis_build/panel_probe.js"], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


# ---- one definition of each constant Python and JS share (issue 17) ----------------------------------------
# Python defines them; the engine publishes them in its boot status (precis.engine.Engine.contract ->
# status.contract) and the worker and the panel read them there. Scanned: the product and the CLI.
SCANNED = [p for folder in ("py", "build", "extension") for p in (REPO_ROOT / folder).rglob("*")
           if p.suffix in (".py", ".js", ".html") and p.is_file() and "vendor" not in p.parts]


def docstring_lines(source: str) -> set:
    """The line numbers of a Python module's docstrings (module, class and function)."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def code_lines(path: Path) -> list:
    """(number, line) of the lines that are neither comments (#, //) nor docstrings, so that prose naming a
    value does not count as a definition."""
    source = path.read_text()
    prose = docstring_lines(source) if path.suffix == ".py" else set()
    return [(n, line) for n, line in enumerate(source.splitlines(), 1)
            if n not in prose and not line.lstrip().startswith(("#", "//", "*", "/*"))]


def definitions(pattern: str) -> list:
    rx = re.compile(pattern)
    return [f"{p.relative_to(REPO_ROOT).as_posix()}:{n}" for p in SCANNED for n, line in code_lines(p) if rx.search(line)]


@pytest.mark.parametrize("what, pattern, where", [
    ("the summary styles", r"""["']key-points["'],\s*["']tldr["']""", "py/precis/summarize.py"),
    ("the summary lengths", r"""["']short["'],\s*["']medium["'],\s*["']long["']""", "py/precis/summarize.py"),
    ("the device settings", r"""["']auto["'],\s*["']gpu["'],\s*["']cpu["']""", "py/precis/device_choice.py"),
    ("the header's first read", r"\bFIRST_PREFIX\s*=", "py/precis/engine.py"),
    ("the error kinds", r"""["']unsupported_model["'],\s*["']out_of_memory["']""", "py/precis/device.py"),
    ("a JsProxy as Python", r"\.to_py\(\) if hasattr", "py/precis/adapter.py"),
    ("the reason 'not in the page'", r"""["']not in the page["']""", "py/precis/grounding.py"),
    ("the CJK ranges (Hangul is only in the whole class)", r"\\uac00-\\ud7af|\\u{ac00}", "py/precis/scripts.py"),
    ("the page text's cap", r"MAX_(PAGE|TEXT)_CHARS\s*=\s*\d", "py/precis/summarize.py"),
])
def test_each_shared_constant_has_one_definition(what, pattern, where):
    found = definitions(pattern)
    assert [f.rsplit(":", 1)[0] for f in found] == [where], (what, found)


def test_top_k_has_one_definition():
    """precis.plan.TOPK: the GPU plan's readback and the CPU device's spec (JS takes k from Python's step)."""
    found = definitions(r"\b(TOPK|TOP_K|CPU_TOP_K)\s*=\s*\d|\bk\s*=\s*64\b")
    assert [f.rsplit(":", 1)[0] for f in found] == ["py/precis/plan.py"], found
