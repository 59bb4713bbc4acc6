"""`precis pack`: dist/precis-<version>.zip for the Chrome Web Store.

Only what the extension runs: the manifest, extension/ (less extension/dev/, the dev layer), the
WGSL kernels, vendor/ and the default model. Entries are sorted, dated 1980-01-01 and given fixed permissions, so two
builds of the same tree are byte-identical.
"""

import json
import sys
import zipfile
from pathlib import Path

from precis_build.errors import UserError
from precis_build.fetch import AtomicFile
from precis_build.paths import DEFAULT_MODEL, DIST, REPO_ROOT, VENDOR
from precis_build.project import version
from precis_build.wheels import FIXED_DATE, build_precis_wheel

# Folders the extension loads files from at run time.
SHIPPED_FOLDERS = ("extension", "kernels", "vendor")
# The dev layer: what only tests and benchmarks load (the engine host page, the worker's extra requests, the
# test hooks). Everything under it stays out of the store zip, whatever is added there. (The panel's probe lives
# outside the shipped folders: build/precis_build/panel_probe.js.)
DEV_FOLDER = "extension/dev/"
# Already-compressed or incompressible payloads are stored as they are: faster, same size.
STORED_SUFFIXES = (".wasm", ".gguf", ".whl", ".zip", ".png")


def register(subparsers) -> None:
    p = subparsers.add_parser("pack", help="write dist/precis-<version>.zip for the Chrome Web Store")
    p.add_argument("--output", type=Path, help="zip path (default: dist/precis-<version>.zip)")
    p.set_defaults(func=run)


def shipped_files(root: Path = REPO_ROOT) -> dict:
    """Archive path -> source path for everything the extension runs."""
    files = {}
    for folder in SHIPPED_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not path.name.startswith(".") and not name.startswith(DEV_FOLDER):
                files[name] = path
    files[DEFAULT_MODEL.relative_to(REPO_ROOT).as_posix()] = DEFAULT_MODEL
    return files


def store_manifest(root: Path = REPO_ROOT) -> bytes:
    """The manifest without "key": the Web Store assigns the published id itself and
    refuses uploads that carry a key; the key only pins the id of unpacked builds."""
    manifest = json.loads((root / "manifest.json").read_text())
    manifest.pop("key", None)
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def check_complete(files: dict) -> None:
    missing = [name for name, path in files.items() if not path.exists()]
    if not (VENDOR / "precis-assets.json").exists() or missing:
        raise UserError("the extension is not set up (missing: "
                        f"{', '.join(missing) or 'vendor/'}): run `precis setup` first")
    manifest = json.loads((REPO_ROOT / "manifest.json").read_text())
    if manifest["version"] != version():
        raise UserError(f"manifest.json version {manifest['version']} differs from pyproject's {version()}")


def write_zip(dest: Path, files: dict, manifest: bytes) -> None:
    entries = dict(sorted(files.items()))
    with AtomicFile(dest) as out, zipfile.ZipFile(out, "w") as zf:
        def add(name, data):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
            zf.writestr(info, data)

        add("manifest.json", manifest)
        for name, path in entries.items():
            add(name, path.read_bytes())


def run(args) -> int:
    build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")  # ship py/ as it is now
    files = shipped_files()
    check_complete(files)
    dest = args.output or DIST / f"precis-{version()}.zip"
    write_zip(dest, files, store_manifest())
    size = dest.stat().st_size
    print(dest)
    print(f"precis pack: {len(files) + 1} files, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0
