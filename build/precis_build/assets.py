"""Everything `precis setup` fetches, pinned by version and sha256.

Each download comes from a registry this machine reaches, through its ordinary client
(`pip download`, `npm pack`), into the cache; nothing is used until its hash matches.
The JS libraries are pinned by package-lock.json instead (npm verifies their integrity).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Download:
    key: str          # name in the cache and in messages
    registry: str     # "pypi" or "npm"
    spec: str         # what to ask the registry for
    filename: str     # the file the client writes
    sha256: str
    python_version: str = ""  # pip: target interpreter for wheels meant for Pyodide
    sdist: bool = False       # pip: fetch the source distribution


PYODIDE = Download(
    "pyodide", "npm", "pyodide@314.0.7", "pyodide-314.0.7.tgz",
    "66b7949e5a0cba2250b586d7e368bf12fb482800748d182c4618254b685ffaa0")
# The files of the npm package the extension runs (the rest are for Node or docs).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

MICROPIP = Download(
    "micropip", "pypi", "micropip==0.11.1", "micropip-0.11.1-py3-none-any.whl",
    "768de165adb8e66906039d8fec4127a57f522dfdf8e6fbff877a4616941ecfd3", python_version="3.14")
JINJA2 = Download(
    "jinja2", "pypi", "jinja2==3.1.6", "jinja2-3.1.6-py3-none-any.whl",
    "85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67", python_version="3.14")
# MarkupSafe publishes only compiled wheels; its sdist has a pure-Python fallback that we
# repack as a py3-none-any wheel for Pyodide (see wheels.py).
MARKUPSAFE_SDIST = Download(
    "markupsafe", "pypi", "markupsafe==3.0.4", "markupsafe-3.0.4.tar.gz",
    "2e9ad7dd851bf45fab9f75cbff4cb493fee9979e8d8c7c9c3ee119022518edd6", sdist=True)

# The models (SmolLM2, Qwen2.5-Coder, Gemma 3) and their wheels: precis_build.models_catalog.

# llama.cpp's converter for the tiny-model tests: the llama-cpp-python source distribution vendors llama.cpp
# whole (the same version bootstrap.sh builds the binding from); setup unpacks only the converter's files.
LLAMA_CPP_SDIST = Download(
    "llama-cpp-python-sdist", "pypi", "llama-cpp-python==0.3.36", "llama_cpp_python-0.3.36.tar.gz",
    "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e", sdist=True)
LLAMA_CPP_SDIST_ROOT = "llama_cpp_python-0.3.36/vendor/llama.cpp/"
LLAMA_CPP_CONVERTER_FILES = ("convert_hf_to_gguf.py", "conversion/", "gguf-py/", "LICENSE")

# JS libraries (versions pinned in package.json / package-lock.json): node_modules path -> vendor/js name.
# wllama (llama.cpp compiled to WebAssembly) is the CPU device's engine (extension/engine/wllama_device.js):
# its ES module and both wasm builds (multi-threaded, needs cross-origin isolation; single-threaded).
JS_LIBRARIES = {
    "@mozilla/readability/Readability.js": "Readability.js",
    "marked/lib/marked.esm.js": "marked.esm.js",
    "dompurify/dist/purify.es.mjs": "purify.es.mjs",
    "@wllama/wllama/esm/index.js": "wllama/index.js",
    "@wllama/wllama/esm/multi-thread/wllama.wasm": "wllama/multi-thread/wllama.wasm",
    "@wllama/wllama/esm/single-thread/wllama.wasm": "wllama/single-thread/wllama.wasm",
    "@wllama/wllama/LICENCE": "wllama/LICENCE",
}
