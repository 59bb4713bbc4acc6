"""`precis pack`: what the zip holds, and that two builds are identical."""

import json
import subprocess
import zipfile

import pytest

from precis_build.paths import DEFAULT_MODEL_FILE, REPO_ROOT
from precis_build.project import version


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    zips = []
    for name in ("a.zip", "b.zip"):
        result = subprocess.run(["precis", "pack", "--output", str(out / name)], cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        zips.append(out / name)
    return zips


def test_two_builds_are_byte_identical(packed):
    a, b = packed
    assert a.read_bytes() == b.read_bytes()


def test_zip_holds_what_the_manifest_references_and_nothing_else(packed):
    with zipfile.ZipFile(packed[0]) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        # The zip's own asset manifest (pack writes it for the model it ships; the tree's copy may name the
        # browser tests' fast built-in while they run).
        assets = json.loads(zf.read("vendor/precis-assets.json"))
    assert "key" not in manifest  # the Web Store refuses uploads that pin a key
    assert manifest["version"] == version()
    referenced = [manifest["background"]["service_worker"], manifest["side_panel"]["default_path"],
                  *manifest["icons"].values()]
    for path in referenced:
        assert path in names, path
    assert assets["precis_wheel"] in names and assets["default_model"] in names
    assert assets["default_model"] == f"models/{DEFAULT_MODEL_FILE}"  # pack ships the default, not a test's pick
    for path in names:
        top = path.split("/")[0]
        assert top in {"manifest.json", "extension", "kernels", "vendor", "models"}, path
        assert not path.startswith(("tests/", ".cache/", "node_modules/", "py/", "build/"))
    assert [n for n in names if n.startswith("models/")] == [assets["default_model"]]


def test_zip_leaves_out_what_only_tests_open(packed):
    """The dev layer (extension/dev/: the engine host page, the worker's test and benchmark requests) and
    the panel's probe are not shipped, while every module the panel itself imports is."""
    with zipfile.ZipFile(packed[0]) as zf:
        names = set(zf.namelist())
    dev = sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "extension/dev").rglob("*") if p.is_file())
    assert "extension/dev/engine_host.html" in dev and "extension/dev/engine_test_hooks.js" in dev  # in the tree...
    assert [n for n in names if n.startswith("extension/dev/")] == []  # ...none of it in the zip
    assert not [n for n in names if "probe" in n or n.endswith("_test.js")]
    panel = sorted(p.relative_to(REPO_ROOT).as_posix() for p in (REPO_ROOT / "extension/sidepanel").iterdir())
    assert [n for n in panel if n not in names] == []
    # No shipped script reads a test hook from the window.
    for name in names:
        if name.startswith("extension/") and name.endswith(".js"):
            with zipfile.ZipFile(packed[0]) as zf:
                text = zf.read(name).decode()
            assert "precisPanel" not in text and "precisProbe" not in text, name


def test_manifest_version_matches_pyproject():
    assert json.loads((REPO_ROOT / "manifest.json").read_text())["version"] == version()
