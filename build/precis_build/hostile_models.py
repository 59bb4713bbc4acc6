"""Hostile model files, for the tests of the bounds a model file meets when it is read (precis.gguf,
precis.tokenizer, precis.chat_template): the real default model with one part of its header replaced.

    path = write_hostile(SMOLLM2_MODEL, tmp / "a.gguf", "huge_control_token")

Everything but the replaced metadata is the real file's bytes, copied as they are (the other keys, the
tensor infos, the weights), so a refusal can only come from the replaced part; `write_hostile(..., None)`
writes the unchanged copy, which must load. The spans of the header's records come from gguf-py's reader.
The 1.9M merges are generated here, never stored.
"""

from __future__ import annotations

import struct
from pathlib import Path

STRING, ARRAY = 8, 9  # GGUF value types
CONTROL_TOKEN_ID = 3  # SmolLM2's "<repo_name>": a control token no chat template writes
HUGE_TOKEN_BYTES = 16 << 20  # 16 MiB: as long as one string could be before the tokenizer's own ceilings
HOSTILE_MERGES = 1_900_000

CASES = ("huge_control_token", "too_many_merges", "merge_result_not_in_vocabulary", "template_lipsum",
         "template_center_50mb")


def _string(text: str) -> bytes:
    raw = text.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def string_value(text: str) -> bytes:
    """A metadata value record (type + value) holding one string."""
    return struct.pack("<I", STRING) + _string(text)


def string_array(items) -> bytes:
    """A metadata value record holding an array of strings."""
    items = list(items)
    return struct.pack("<IIQ", ARRAY, STRING, len(items)) + b"".join(map(_string, items))


def rewrite(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    """`src` with the value records of the keys in `replace` swapped for the given ones (type + value)."""
    from gguf import GGUFReader

    reader = GGUFReader(src, "r")
    data = reader.data

    def span(field) -> bytes:
        return bytes(data[field.offset:field.offset + sum(part.nbytes for part in field.parts)])

    records = []
    for field in reader.fields.values():
        if field.name.startswith("GGUF."):  # the reader's view of the file header, not metadata
            continue
        records.append(_string(field.name) + replace[field.name] if field.name in replace else span(field))
    infos = [span(t.field) for t in reader.tensors]
    alignment = int(reader.fields["general.alignment"].parts[-1][0]) if "general.alignment" in reader.fields else 32
    head = b"GGUF" + struct.pack("<IQQ", 3, len(infos), len(records)) + b"".join(records) + b"".join(infos)
    with open(dst, "wb") as out:
        out.write(head)
        out.write(b"\0" * (-len(head) % alignment))
        out.write(memoryview(data[reader.data_offset:]))
    return dst


def _chatml_with(prefix: str) -> str:
    from precis.chat_template import CHATML_TEMPLATE
    return prefix + CHATML_TEMPLATE


def write_hostile(src: Path, dst: Path, case: str | None) -> Path:
    """`src` (the default SmolLM2) made hostile as `case` names (CASES), or copied unchanged (None)."""
    from precis.gguf import open_gguf

    if case is None:
        return rewrite(src, dst, {})
    md = open_gguf(src).metadata
    tokens, merges = list(md["tokenizer.ggml.tokens"]), list(md["tokenizer.ggml.merges"])
    if case == "huge_control_token":       # one control token of 16 MB
        tokens[CONTROL_TOKEN_ID] = "<" + "x" * (HUGE_TOKEN_BYTES - 2) + ">"
        replace = {"tokenizer.ggml.tokens": string_array(tokens)}
    elif case == "too_many_merges":        # the real merges, then made-up ones up to 1.9M
        extra = (f"x{i} y" for i in range(HOSTILE_MERGES - len(merges)))
        replace = {"tokenizer.ggml.merges": string_array([*merges, *extra])}
    elif case == "merge_result_not_in_vocabulary":  # the first merge's result renamed in the vocabulary
        left, right = merges[0].split(" ")
        tokens[tokens.index(left + right)] = "[renamed]"
        replace = {"tokenizer.ggml.tokens": string_array(tokens)}
    elif case == "template_lipsum":
        replace = {"tokenizer.chat_template": string_value(_chatml_with("{{ lipsum(20000) }}"))}
    elif case == "template_center_50mb":
        replace = {"tokenizer.chat_template": string_value(_chatml_with("{{ 'x'|center(50000000) }}"))}
    else:
        raise ValueError(f"unknown case {case!r} (known: {', '.join(CASES)})")
    return rewrite(src, dst, replace)
