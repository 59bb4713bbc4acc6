"""`precis setup`: fetch, verify and place everything the extension needs.

    vendor/pyodide/   Pyodide core, our pyodide-lock.json, wheels loadPackage installs (micropip, jinja2, markupsafe)
    vendor/wheels/    the precis wheel, built from py/ (installed by micropip inside the engine)
    vendor/js/        Readability, marked, DOMPurify, wllama (llama.cpp in wasm: the CPU device) from npm,
                      pinned by package-lock.json
    vendor/precis-assets.json   what the engine loads, by name
    models/           the default model, or the one --model NAME names (precis_build.models_catalog), and with
                      --test-models Gemma 3 270M for the tests
    vendor/llama.cpp/ with --test-models: llama.cpp's HF -> GGUF converter (tests build tiny models with it)

A second run re-hashes what is in place and fetches only what is missing or corrupt.
"""

import json
import shutil
import subprocess
import tarfile
import time
import zipfile

from precis_build import assets
from precis_build.errors import UserError
from precis_build.fetch import copy_stream, fetch, log, place_verified, sha256_file, write_atomic
from precis_build.models_catalog import (CATALOG, DEFAULT_MODEL_NAME, READER_MODEL_NAMES, asset_manifest_fields,
                                         catalog_model)
from precis_build.paths import CACHE, LLAMA_CPP_CONVERTER, REPO_ROOT, VENDOR
from precis_build.project import version
from precis_build.wheels import build_markupsafe_wheel, build_precis_wheel

DOWNLOADS = CACHE / "downloads"


def register(subparsers) -> None:
    p = subparsers.add_parser("setup", help="fetch and verify everything the extension needs (no network at run time)")
    p.add_argument("--test-models", action="store_true",
                   help="also fetch SmolLM2 135M (the tests' fast model), Gemma 3 270M and llama.cpp's converter, "
                        "used by the tests")
    p.add_argument("--model", action="append", choices=READER_MODEL_NAMES, metavar="NAME",
                   help=f"also fetch this model (one of {', '.join(READER_MODEL_NAMES)}; may be repeated), "
                        f"beside the default ({DEFAULT_MODEL_NAME}) that the extension loads")
    p.set_defaults(func=run)


def run(args) -> int:
    start = time.monotonic()
    setup_pyodide()
    setup_js_libraries()
    done = list(dict.fromkeys([DEFAULT_MODEL_NAME, *(args.model or [])]))
    for name in done:
        setup_model(name)
    if args.test_models:
        for name in ("smollm2-135m", "gemma3-270m"):
            if name not in done:
                setup_model(name)
        setup_llama_cpp_converter()
    wheel = build_precis_wheel(REPO_ROOT / "py", version(), VENDOR / "wheels")
    write_asset_manifest(wheel.name)
    log(f"ready in {time.monotonic() - start:.1f} s")
    return 0


def setup_pyodide() -> None:
    """Pyodide core from npm, plus a lock file listing only the wheels we ship."""
    target = VENDOR / "pyodide"
    tarball = fetch(assets.PYODIDE, DOWNLOADS)
    with tarfile.open(tarball) as tar:
        lock = json.load(tar.extractfile("package/pyodide-lock.json"))
        for name in assets.PYODIDE_FILES:
            member = tar.getmember(f"package/{name}")
            data = tar.extractfile(member).read()
            dest = target / name
            if not dest.exists() or dest.read_bytes() != data:
                write_atomic(dest, data)

    micropip = fetch(assets.MICROPIP, DOWNLOADS)
    jinja2 = fetch(assets.JINJA2, DOWNLOADS)
    markupsafe = build_markupsafe_wheel(fetch(assets.MARKUPSAFE_SDIST, DOWNLOADS), target)
    for wheel in (micropip, jinja2):
        if not (target / wheel.name).exists() or sha256_file(target / wheel.name) != sha256_file(wheel):
            shutil.copyfile(wheel, target / wheel.name)

    # Pyodide's own lock lists ~350 packages from its CDN and a micropip hash that differs
    # from PyPI's file: ours lists exactly the wheels in this folder, with their real hashes.
    def entry(name, wheel, imports, depends=()):
        return {"name": name, "version": wheel.name.split("-")[1], "file_name": wheel.name,
                "install_dir": "site", "sha256": sha256_file(target / wheel.name),
                "package_type": "package", "imports": list(imports), "depends": list(depends),
                "unvendored_tests": False, "shared_library": False}

    packages = {
        "micropip": entry("micropip", micropip, ["micropip"]),
        "markupsafe": entry("MarkupSafe", markupsafe, ["markupsafe"]),
        "jinja2": entry("Jinja2", jinja2, ["jinja2"], ["markupsafe"]),
    }
    data = json.dumps({"info": lock["info"], "packages": packages}, indent=1, sort_keys=True).encode()
    lock_path = target / "pyodide-lock.json"
    if not lock_path.exists() or lock_path.read_bytes() != data:
        write_atomic(lock_path, data)


def setup_js_libraries() -> None:
    """npm ci (integrity-checked by package-lock.json), then copy the files the UI loads."""
    modules = REPO_ROOT / "node_modules"
    sources = {modules / src: VENDOR / "js" / name for src, name in assets.JS_LIBRARIES.items()}
    stamp = modules / ".precis-lock-sha256"
    lock_hash = sha256_file(REPO_ROOT / "package-lock.json")
    if not all(s.exists() for s in sources) or not stamp.exists() or stamp.read_text() != lock_hash:
        log("installing JS libraries (npm ci)")
        result = subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                                cwd=REPO_ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            lines = (result.stderr or result.stdout).strip().splitlines()
            raise UserError(f"npm ci failed: {lines[-1] if lines else 'no output'}")
        stamp.write_text(lock_hash)
    for src, dest in sources.items():
        data = src.read_bytes()
        if not dest.exists() or dest.read_bytes() != data:
            write_atomic(dest, data)


def setup_model(name: str) -> None:
    """Place the named model in models/: its wheels fetched and checked against their pins, their data members
    concatenated in order into a temporary file that is renamed into place only if its sha256 matches."""
    model = catalog_model(name)

    def assemble(out):  # runs only when the placed model is missing or corrupt
        for part in model.parts:
            wheel = fetch(part, DOWNLOADS)
            with zipfile.ZipFile(wheel) as zf:
                members = sorted(n for n in zf.namelist() if model.member in n)
                if not members:
                    raise UserError(f"{wheel.name} holds no member named like {model.member!r}")
                for member in members:
                    with zf.open(member) as src:
                        copy_stream(src, out)

    if place_verified(model.path, model.sha256, assemble):
        log(f"placed {model.path.relative_to(REPO_ROOT)} ({model.model.display_name})")


def setup_llama_cpp_converter() -> None:
    """convert_hf_to_gguf.py with its conversion/ package and gguf-py, from the pinned llama-cpp-python sdist,
    into vendor/llama.cpp. Unpacked into a temporary folder and renamed into place; a stamp holding the sdist's
    sha256 says the folder is complete (a second run does nothing)."""
    stamp = LLAMA_CPP_CONVERTER / ".precis-sdist-sha256"
    if stamp.exists() and stamp.read_text() == assets.LLAMA_CPP_SDIST.sha256:
        return
    sdist = fetch(assets.LLAMA_CPP_SDIST, DOWNLOADS)
    root = assets.LLAMA_CPP_SDIST_ROOT
    tmp = LLAMA_CPP_CONVERTER.with_name(".llama.cpp.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith(root)
                   and m.name[len(root):].startswith(assets.LLAMA_CPP_CONVERTER_FILES)]
        if not any(m.name.endswith("/convert_hf_to_gguf.py") for m in members):
            raise UserError(f"{sdist.name} holds no {root}convert_hf_to_gguf.py")
        for m in members:
            dest = tmp / m.name[len(root):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(m) as src, open(dest, "wb") as out:
                copy_stream(src, out)
    (tmp / stamp.name).write_text(assets.LLAMA_CPP_SDIST.sha256)
    shutil.rmtree(LLAMA_CPP_CONVERTER, ignore_errors=True)
    tmp.rename(LLAMA_CPP_CONVERTER)
    log(f"placed {LLAMA_CPP_CONVERTER.relative_to(REPO_ROOT)} (llama.cpp's converter, {len(members)} files)")


def write_asset_manifest(precis_wheel: str, built_in: str = DEFAULT_MODEL_NAME) -> None:
    """What the engine worker loads, by path relative to the extension root; `built_in` names the model it
    loads as "package" (the tests that need a fast model make it SmolLM2, as `precis pack --model` would)."""
    manifest = {
        "version": version(),
        "pyodide": "vendor/pyodide/",
        "pyodide_packages": ["micropip", "jinja2"],
        "precis_wheel": f"vendor/wheels/{precis_wheel}",
        **asset_manifest_fields(CATALOG[built_in]),
    }
    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
    dest = VENDOR / "precis-assets.json"
    if not dest.exists() or dest.read_bytes() != data:
        write_atomic(dest, data)
