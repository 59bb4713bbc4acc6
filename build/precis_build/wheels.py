"""Pure-Python wheels for Pyodide, built byte-for-byte reproducibly.

Two are built here: `precis` itself (from py/precis) and MarkupSafe (jinja2's one
dependency, whose published wheels are all compiled; its pure fallback is repacked).
Entries are sorted and stamped with a fixed date so the same sources give the same bytes.
"""

import base64
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

from precis_build.fetch import write_atomic

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def build_wheel(name: str, version: str, files: dict, requires=(), summary: str = "") -> bytes:
    """A py3-none-any wheel holding `files` (archive path -> bytes)."""
    dist_info = f"{name}-{version}.dist-info"
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if summary:
        metadata.append(f"Summary: {summary}")
    metadata += [f"Requires-Dist: {r}" for r in requires]
    entries = dict(files)
    entries[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    entries[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: precis_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n").encode()
    record_name = f"{dist_info}/RECORD"
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in sorted(entries.items()))
    entries[record_name] = (record + f"{record_name},,\n").encode()

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(entries):
            info = zipfile.ZipInfo(path, FIXED_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[path])
    return buffer.getvalue()


def wheel_filename(name: str, version: str) -> str:
    return f"{name}-{version}-py3-none-any.whl"


def precis_sources(py_root: Path) -> dict:
    """Every file of the precis package, by its path inside the wheel."""
    package = py_root / "precis"
    return {
        path.relative_to(py_root).as_posix(): path.read_bytes()
        for path in sorted(package.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".json", ".txt")
    }


def build_precis_wheel(py_root: Path, version: str, dest_dir: Path) -> Path:
    dest = dest_dir / wheel_filename("precis", version)
    data = build_wheel("precis", version, precis_sources(py_root), requires=["jinja2"],
                       summary="Précis: the Python that runs in the browser")
    if not dest.exists() or dest.read_bytes() != data:
        write_atomic(dest, data)
    return dest


def build_markupsafe_wheel(sdist: Path, dest_dir: Path) -> Path:
    """Repack MarkupSafe's pure-Python sources (its C speedups are optional) as a wheel."""
    version = sdist.name.removeprefix("markupsafe-").removesuffix(".tar.gz")
    files = {}
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and parts[1:3] == ["src", "markupsafe"] and parts[-1].endswith((".py", ".typed")):
                files["markupsafe/" + parts[-1]] = tar.extractfile(member).read()
    if "markupsafe/__init__.py" not in files:
        raise ValueError(f"{sdist.name}: no markupsafe package inside")
    dest = dest_dir / wheel_filename("markupsafe", version)
    data = build_wheel("markupsafe", version, files, summary="MarkupSafe (pure Python build)")
    if not dest.exists() or dest.read_bytes() != data:
        write_atomic(dest, data)
    return dest
