"""`precis pack`: dist/precis-<version>.zip for the Chrome Web Store.

Only what the extension runs: the manifest, extension/ (less extension/dev/, the dev layer), the
WGSL kernels, vendor/ and one model as the built-in (the default, or --model NAME from
precis_build.models_catalog; vendor/precis-assets.json in the zip names it). Entries are sorted, dated 1980-01-01 and given fixed permissions, so two
builds of the same tree are byte-identical.
"""

import json
import shutil
import sys
import zipfile
from pathlib import Path

from precis_build.errors import UserError
from precis_build.fetch import AtomicFile
from precis_build.models_catalog import (DEFAULT_MODEL_NAME, READER_MODEL_NAMES, CatalogModel, asset_manifest_fields,
                                         catalog_model)
from precis_build.paths import DIST, REPO_ROOT, VENDOR
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
    p.add_argument("--model", choices=READER_MODEL_NAMES, default=DEFAULT_MODEL_NAME, metavar="NAME",
                   help=f"the built-in model (one of {', '.join(READER_MODEL_NAMES)}; default {DEFAULT_MODEL_NAME})")
    p.set_defaults(func=run)


ASSET_MANIFEST = "vendor/precis-assets.json"


def shipped_files(root: Path = REPO_ROOT, model: CatalogModel | None = None) -> dict:
    """Archive path -> source path for everything the extension runs (the asset manifest is written apart:
    asset_manifest)."""
    model = model or catalog_model(DEFAULT_MODEL_NAME)
    files = {}
    for folder in SHIPPED_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            name = path.relative_to(root).as_posix()
            if path.is_file() and not path.name.startswith(".") and not name.startswith(DEV_FOLDER) and name != ASSET_MANIFEST:
                files[name] = path
    files[model.path.relative_to(REPO_ROOT).as_posix()] = model.path
    return files


def asset_manifest(model: CatalogModel, root: Path = REPO_ROOT) -> bytes:
    """`precis setup`'s vendor/precis-assets.json naming `model` as the built-in the engine loads."""
    assets = json.loads((root / ASSET_MANIFEST).read_text())
    assets.update(asset_manifest_fields(model))
    return json.dumps(assets, indent=1, sort_keys=True).encode()


def store_manifest(root: Path = REPO_ROOT) -> bytes:
    """The manifest without "key": the Web Store assigns the published id itself and
    refuses uploads that carry a key; the key only pins the id of unpacked builds."""
    manifest = json.loads((root / "manifest.json").read_text())
    manifest.pop("key", None)
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def check_complete(files: dict, model: CatalogModel | None = None) -> None:
    model = model or catalog_model(DEFAULT_MODEL_NAME)
    missing = [name for name, path in files.items() if not path.exists()]
    if not (VENDOR / "precis-assets.json").exists() or missing:
        flag = "" if model.name == DEFAULT_MODEL_NAME else f" --model {model.name}"
        raise UserError("the extension is not set up (missing: "
                        f"{', '.join(missing) or 'vendor/'}): run `precis setup{flag}` first")
    manifest = json.loads((REPO_ROOT / "manifest.json").read_text())
    if manifest["version"] != version():
        raise UserError(f"manifest.json version {manifest['version']} differs from pyproject's {version()}")


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
    return info


def write_zip(dest: Path, files: dict, manifest: bytes, assets: bytes) -> None:
    entries = dict(sorted(files.items()))
    with AtomicFile(dest) as out, zipfile.ZipFile(out, "w") as zf:
        def add(name, data):
            zf.writestr(_info(name), data)

        add("manifest.json", manifest)
        for name, path in entries.items():
            if name > ASSET_MANIFEST and ASSET_MANIFEST not in zf.namelist():
                add(ASSET_MANIFEST, assets)
            info = _info(name)
            info.file_size = path.stat().st_size   # zipfile picks zip64 from it
            with open(path, "rb") as src, zf.open(info, "w") as out:
                shutil.copyfileobj(src, out, 1 << 20)   # streamed: a 1 GB model is never held whole
        if ASSET_MANIFEST not in zf.namelist():
            add(ASSET_MANIFEST, assets)


def run(args) -> int:
    build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")  # ship py/ as it is now
    model = catalog_model(args.model)
    files = shipped_files(model=model)
    check_complete(files, model)
    dest = args.output or DIST / f"precis-{version()}.zip"
    write_zip(dest, files, store_manifest(), asset_manifest(model))
    size = dest.stat().st_size
    print(dest)
    print(f"precis pack: {len(files) + 2} files, {size / 1e6:.1f} MB, built-in model "
          f"{model.model.display_name}", file=sys.stderr)
    return 0
