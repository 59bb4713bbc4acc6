"""`precis setup`: verified downloads, corrupt files replaced, a second run changes nothing."""

import hashlib
import subprocess
import tarfile
from dataclasses import replace

import pytest

from precis_build import assets
from precis_build.errors import UserError
from precis_build.fetch import fetch, place_verified, sha256_file
from precis_build.paths import CACHE, REPO_ROOT, VENDOR


def run_setup():
    return subprocess.run(["precis", "setup"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_fetch_refetches_a_corrupt_cached_file(tmp_path):
    path = fetch(assets.MICROPIP, tmp_path)
    assert sha256_file(path) == assets.MICROPIP.sha256
    path.write_bytes(path.read_bytes()[:-100] + b"x" * 100)  # damaged in the cache
    again = fetch(assets.MICROPIP, tmp_path)
    assert again == path and sha256_file(again) == assets.MICROPIP.sha256


def test_fetch_refuses_a_download_that_does_not_match_its_pin(tmp_path):
    wrong = replace(assets.MICROPIP, sha256="0" * 64)
    with pytest.raises(UserError, match="sha256 mismatch"):
        fetch(wrong, tmp_path)
    assert not (tmp_path / wrong.filename).exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary folder or partial file left


def test_fetch_reports_a_package_that_does_not_exist(tmp_path):
    missing = replace(assets.MICROPIP, spec="micropip==0.0.0.404", filename="micropip-0.0.0.404-py3-none-any.whl")
    with pytest.raises(UserError, match="could not download micropip==0.0.0.404"):
        fetch(missing, tmp_path)


def test_place_verified_replaces_a_corrupt_file_and_never_lands_a_bad_one(tmp_path):
    good = b"model bytes" * 1000
    good_sha = hashlib.sha256(good).hexdigest()
    dest = tmp_path / "model.gguf"
    dest.write_bytes(b"truncated")
    assert place_verified(dest, good_sha, lambda out: out.write(good)) is True
    assert dest.read_bytes() == good
    assert place_verified(dest, good_sha, lambda out: out.write(b"never called")) is False

    dest.unlink()
    with pytest.raises(UserError, match="sha256 mismatch"):
        place_verified(dest, good_sha, lambda out: out.write(good[:-1]))
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_second_run_changes_nothing_and_repairs_corruption():
    first = run_setup()
    assert first.returncode == 0, first.stderr
    placed = sorted(p for p in VENDOR.rglob("*") if p.is_file())
    before = {p: (p.stat().st_mtime_ns, sha256_file(p)) for p in placed}

    second = run_setup()
    assert second.returncode == 0, second.stderr
    assert "fetching" not in second.stderr
    assert {p: (p.stat().st_mtime_ns, sha256_file(p)) for p in placed} == before

    # Corrupt a placed runtime file and the cached tarball it comes from: both are repaired.
    stdlib = VENDOR / "pyodide" / "python_stdlib.zip"
    stdlib.write_bytes(b"garbage")
    tarball = CACHE / "downloads" / assets.PYODIDE.filename
    tarball.write_bytes(tarball.read_bytes()[:1000])
    third = run_setup()
    assert third.returncode == 0, third.stderr
    assert "fetching pyodide@314.0.7" in third.stderr
    with tarfile.open(tarball) as tar:
        assert stdlib.read_bytes() == tar.extractfile("package/python_stdlib.zip").read()
