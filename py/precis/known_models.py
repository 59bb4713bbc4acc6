"""The models Précis names: what a reader sees of each (display name, size, languages), and how a file is
recognised as one of them. Pure data (runs in Pyodide); how each is fetched and verified lives in
precis_build.models_catalog, which adds the downloads to these entries.

A file is the known model when its byte length and architecture equal the entry's: the sha256 is checked
by `precis setup` when it places the file, and hashing a 1 GB file in the browser for a name is not worth it.
For any other file the display name comes from its GGUF metadata (display_name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

# Qwen2.5's model card lists these among its 29+ languages; the Coder models share its tokenizer and data mix.
QWEN25_LANGUAGES = ("en", "zh", "fr", "es", "pt", "de", "it", "ru", "ja", "ko", "vi", "th", "ar")


@dataclass(frozen=True)
class KnownModel:
    name: str              # the CLI's name: `precis setup --model NAME`
    display_name: str      # what the panel shows
    file: str              # its file name in models/
    architecture: str      # GGUF general.architecture
    size_bytes: int        # the file's exact length
    sha256: str            # of the whole file
    parameters: str        # "1.5B": the size a reader compares
    languages: tuple       # ISO 639-1 codes the model answers in
    for_readers: bool = True   # False: a model only the tests use

    def describe(self) -> dict:
        """What the model picker shows of it; `label` is the one line it prints."""
        return {"name": self.name, "display_name": self.display_name, "file": self.file,
                "parameters": self.parameters, "size_bytes": self.size_bytes, "languages": list(self.languages),
                "label": f"{self.display_name} · {self.size_bytes / 1e6:,.0f} MB · {languages_label(self.languages)}"}


LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "fr": "French", "es": "Spanish", "pt": "Portuguese",
                  "de": "German", "it": "Italian", "ru": "Russian", "ja": "Japanese", "ko": "Korean",
                  "vi": "Vietnamese", "th": "Thai", "ar": "Arabic"}


def languages_label(codes, shown: int = 3) -> str:
    """"English" / "English, Chinese, French and 10 more": short enough for a picker line."""
    names = [LANGUAGE_NAMES.get(c, c) for c in codes]
    if len(names) <= shown:
        return f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


KNOWN_MODELS = (
    KnownModel("smollm2-135m", "SmolLM2 135M Instruct", "SmolLM2-135M-Instruct.Q4_1.gguf", "llama",
               98_362_432, "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", "135M", ("en",)),
    KnownModel("qwen2.5-coder-0.5b", "Qwen2.5 Coder 0.5B Instruct", "qwen2.5-coder-0.5b-instruct.gguf", "qwen2",
               491_400_064, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", "0.5B",
               QWEN25_LANGUAGES),
    KnownModel("qwen2.5-coder-1.5b", "Qwen2.5 Coder 1.5B Instruct", "qwen2.5-coder-1.5b-instruct.gguf", "qwen2",
               1_117_320_768, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", "1.5B",
               QWEN25_LANGUAGES),
    KnownModel("gemma3-270m", "Gemma 3 270M", "gemma-3-270m-Q4_K_M.gguf", "gemma3",
               253_113_024, "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818", "270M", ("en",),
               for_readers=False),
)
BY_NAME = {m.name: m for m in KNOWN_MODELS}


def known_model(size_bytes: int, architecture: str) -> Optional[KnownModel]:
    """The known model this file is (its length and architecture), or None."""
    return next((m for m in KNOWN_MODELS if m.size_bytes == size_bytes and m.architecture == architecture), None)


def reader_models() -> list:
    """What the model picker lists: every model a reader can get, with its size and languages."""
    return [m.describe() for m in KNOWN_MODELS if m.for_readers]


def _text(value) -> str:
    """A metadata string as plain one-line text (a model file's strings are untrusted: no control characters,
    bounded length)."""
    if not isinstance(value, str):
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in value[:200]).split())


def display_name(metadata: dict, size_bytes: int, architecture: str, file_name: str = "") -> str:
    """The name a reader sees: the catalog's for a known model; else built from GGUF general.basename,
    size_label and finetune ("Qwen2.5-Coder 7B Instruct"); else general.name; else the file name."""
    known = known_model(size_bytes, architecture)
    if known:
        return known.display_name
    basename = _text(metadata.get("general.basename"))
    if basename:
        parts = [basename, _text(metadata.get("general.size_label")), _text(metadata.get("general.finetune"))]
        return " ".join(p for p in parts if p)
    name = _text(metadata.get("general.name"))
    if name:
        return name
    stem = file_name.rsplit("/", 1)[-1]
    return _text(stem[:-5] if stem.lower().endswith(".gguf") else stem) or "model"
