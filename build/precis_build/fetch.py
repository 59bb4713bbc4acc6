"""Verified downloads and atomic placement.

A file is used only after its sha256 matches the pin. Every write goes to a temporary
name in the destination folder and is renamed into place, so an interrupted or failed
step never leaves a half-written file where a later run (or the extension) would find it.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from precis_build.assets import Download
from precis_build.errors import UserError


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def log(message: str) -> None:
    print(f"precis setup: {message}", file=sys.stderr, flush=True)


class AtomicFile:
    """`with AtomicFile(dest) as f: f.write(...)` — dest appears only if the block succeeds."""

    def __init__(self, dest: Path):
        self.dest = Path(dest)

    def __enter__(self):
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=self.dest.parent, prefix=f".{self.dest.name}.", suffix=".partial")
        self.file = os.fdopen(fd, "wb")
        return self.file

    def __exit__(self, exc_type, exc, tb):
        self.file.close()
        if exc_type is None:
            os.chmod(self.tmp, 0o644)  # mkstemp makes 0600; the extension's files are world-readable
            os.replace(self.tmp, self.dest)
        else:
            os.unlink(self.tmp)
        return False


def write_atomic(dest: Path, data: bytes) -> None:
    with AtomicFile(dest) as f:
        f.write(data)


def _client_command(download: Download, out_dir: Path) -> list[str]:
    if download.registry == "npm":
        return ["npm", "pack", "--silent", "--pack-destination", str(out_dir), download.spec]
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check",
           "--dest", str(out_dir)]
    if download.sdist:
        cmd += ["--no-binary", ":all:"]
    else:
        cmd += ["--only-binary", ":all:"]
    if download.python_version:
        cmd += ["--python-version", download.python_version]
    return cmd + [download.spec]


def fetch(download: Download, cache_dir: Path) -> Path:
    """Return the cached, verified file for `download`, fetching it if needed.

    A cached file whose hash no longer matches (corrupted, truncated) is discarded and
    fetched again; a fresh download that does not match is an error and is not kept."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    dest = cache_dir / download.filename
    if dest.exists():
        actual = sha256_file(dest)
        if actual == download.sha256:
            return dest
        log(f"cached {dest.name} does not match its pinned sha256 (got {actual[:12]}…); fetching it again")
        dest.unlink()
    log(f"fetching {download.spec} from {download.registry}")
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".download-") as tmp:
        tmp = Path(tmp)
        result = subprocess.run(_client_command(download, tmp), capture_output=True, text=True)
        got = tmp / download.filename
        if result.returncode != 0 or not got.exists():
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise UserError(f"could not download {download.spec} from {download.registry}: "
                            f"{detail[-1] if detail else 'no file was written'}")
        actual = sha256_file(got)
        if actual != download.sha256:
            raise UserError(f"{download.filename}: sha256 mismatch (expected {download.sha256}, got {actual}); "
                            "the download was discarded")
        os.replace(got, dest)
    return dest


def place_verified(dest: Path, sha256: str, produce) -> bool:
    """Make `dest` hold content with this sha256. `produce(file)` writes the content.

    Returns True if something was (re)written. A placed file that no longer matches is
    replaced; produced content that does not match is an error and never lands."""
    if dest.exists() and sha256_file(dest) == sha256:
        return False
    if dest.exists():
        log(f"{dest.name} does not match its pinned sha256; replacing it")
    digest = hashlib.sha256()

    class _Hashing:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            digest.update(data)
            return self.f.write(data)

    with AtomicFile(dest) as f:
        produce(_Hashing(f))
        if digest.hexdigest() != sha256:
            raise UserError(f"{dest.name}: sha256 mismatch after extraction "
                            f"(expected {sha256}, got {digest.hexdigest()})")
    return True


def copy_stream(src, dst) -> None:
    shutil.copyfileobj(src, dst, 1 << 20)
