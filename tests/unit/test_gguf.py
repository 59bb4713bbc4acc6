"""GGUF reader: agrees with gguf-py on the real models; every kind of corrupt input raises
one GGUFError naming the problem (never another exception, a hang or a huge allocation)."""

import struct

import numpy as np
import pytest

from precis.gguf import GGUFError, open_gguf

# --- a tiny GGUF writer, for hand-made valid and hostile files ------------------------------


def s(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def kv(key, type_id, payload: bytes) -> bytes:
    return s(key) + struct.pack("<I", type_id) + payload


def tensor_info(name, dims, type_id, offset) -> bytes:
    return s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims) \
        + struct.pack("<IQ", type_id, offset)


def gguf(kvs=(), infos=(), data=b"", version=3, alignment=32, n_kv=None, n_tensors=None) -> bytes:
    head = b"GGUF" + struct.pack("<IQQ", version, len(infos) if n_tensors is None else n_tensors,
                                 len(kvs) if n_kv is None else n_kv)
    body = head + b"".join(kvs) + b"".join(infos)
    pad = -len(body) % alignment
    return body + b"\0" * pad + data


VALID_KVS = [
    kv("general.architecture", 8, s("llama")),
    kv("llama.block_count", 4, struct.pack("<I", 2)),
    kv("test.f32", 6, struct.pack("<f", 1.5)),
    kv("test.bool", 7, struct.pack("<?", True)),
    kv("test.i64", 11, struct.pack("<q", -7)),
    kv("test.f64", 12, struct.pack("<d", 0.25)),
    kv("test.u8", 0, struct.pack("<B", 255)),
    kv("test.i8", 1, struct.pack("<b", -1)),
    kv("test.u16", 2, struct.pack("<H", 65535)),
    kv("test.i16", 3, struct.pack("<h", -2)),
    kv("test.i32", 5, struct.pack("<i", -3)),
    kv("test.u64", 10, struct.pack("<Q", 2**63)),
    kv("test.strings", 9, struct.pack("<IQ", 8, 2) + s("a") + s("日本")),
    kv("test.ints", 9, struct.pack("<IQ", 5, 3) + struct.pack("<3i", 1, -2, 3)),
    kv("test.nested", 9, struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 4, 2) + struct.pack("<2I", 7, 8)),
]
F32_DATA = np.arange(64, dtype=np.float32).tobytes()  # two tensors of 32 floats


def valid_file(version=3) -> bytes:
    infos = [tensor_info("a", [32], 0, 0), tensor_info("b", [8, 4], 0, 128)]
    return gguf(VALID_KVS, infos, F32_DATA, version=version)


@pytest.mark.parametrize("version", [2, 3])
def test_reads_every_value_type_and_tensor_data_without_copying(version):
    data = valid_file(version)
    g = open_gguf(data)
    assert g.version == version and g.architecture == "llama" and g.arch_value("block_count") == 2
    assert g.metadata["test.f32"] == 1.5 and g.metadata["test.bool"] is True
    assert g.metadata["test.i64"] == -7 and g.metadata["test.f64"] == 0.25
    assert (g.metadata["test.u8"], g.metadata["test.i8"], g.metadata["test.u16"]) == (255, -1, 65535)
    assert (g.metadata["test.i16"], g.metadata["test.i32"], g.metadata["test.u64"]) == (-2, -3, 2**63)
    assert g.metadata["test.strings"] == ["a", "日本"]
    assert g.metadata["test.ints"] == [1, -2, 3]
    assert g.metadata["test.nested"] == [[7, 8]]
    b = g.tensors["b"]
    assert b.dims == (8, 4) and b.shape == (4, 8) and b.nbytes == 128 and b.type_name == "F32"
    view = g.tensor_bytes("b")
    assert isinstance(view, memoryview) and view.obj is g.view.obj  # a view into the input, not a copy
    assert np.frombuffer(view, np.float32).tolist() == list(range(32, 64))


HOSTILE = {
    "bad magic": (lambda: b"GGML" + valid_file()[4:], "not a GGUF file"),
    "empty": (lambda: b"", "not a GGUF file"),
    "version 1": (lambda: valid_file()[:4] + struct.pack("<I", 1) + valid_file()[8:], "unsupported GGUF version 1"),
    "absurd kv count": (lambda: gguf(VALID_KVS, n_kv=2**62), "metadata count"),
    "absurd tensor count": (lambda: gguf(VALID_KVS, n_tensors=2**60), "tensor count"),
    "huge string": (lambda: gguf([s("k")[:8].replace(struct.pack("<Q", 1), struct.pack("<Q", 2**60)) + b"k"]),
                    "string length"),
    "huge array": (lambda: gguf([kv("k", 9, struct.pack("<IQ", 4, 2**40))]), "cannot fit"),
    "unknown value type": (lambda: gguf([kv("k", 99, b"")]), "unknown value type 99"),
    "unknown array type": (lambda: gguf([kv("k", 9, struct.pack("<IQ", 77, 1))]), "unknown array element type"),
    "deep nesting": (lambda: gguf([kv("k", 9, struct.pack("<IQ", 9, 1) * 6)]), "nested deeper"),
    "invalid utf-8 key": (lambda: gguf([struct.pack("<Q", 2) + b"\xff\xfe" + struct.pack("<I", 4) + b"\0" * 4]),
                          "not valid UTF-8"),
    "duplicate key": (lambda: gguf([VALID_KVS[1], VALID_KVS[1]]), "appears twice"),
    "bad alignment": (lambda: gguf([kv("general.alignment", 4, struct.pack("<I", 3))]), "power of two"),
    "unknown ggml type": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [32], 1234, 0)], F32_DATA), "unknown ggml type"),
    "too many dims": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [1] * 5, 0, 0)], F32_DATA), "dimensions"),
    "zero dim": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [32, 0], 0, 0)], F32_DATA), "zero-size"),
    "huge dims": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [2**31, 2**31, 2**31], 0, 0)], F32_DATA),
                  "cannot fit"),
    "row not a block multiple": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [33], 8, 0)], F32_DATA), "block size"),
    "offset past end": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [32], 0, 4096)], F32_DATA), "past the end"),
    "misaligned offset": (lambda: gguf(VALID_KVS[:1], [tensor_info("t", [16], 0, 4)], F32_DATA), "not aligned"),
    "overlap": (lambda: gguf(VALID_KVS[:1], [tensor_info("a", [32], 0, 0), tensor_info("b", [32], 0, 64)], F32_DATA),
                "overlap"),
    "duplicate tensor": (lambda: gguf(VALID_KVS[:1], [tensor_info("a", [8], 0, 0), tensor_info("a", [8], 0, 32)],
                                      F32_DATA), "appears twice"),
    "missing data": (lambda: gguf(VALID_KVS[:1], [tensor_info("a", [32], 0, 0)], b""), "past the end"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_raises_one_clear_error(case):
    make, message = HOSTILE[case]
    with pytest.raises(GGUFError, match=message):
        open_gguf(make())


def test_truncation_anywhere_is_a_clear_error():
    data = valid_file()
    header_end = len(data) - len(F32_DATA)
    for cut in range(header_end + len(F32_DATA) - 1):
        with pytest.raises(GGUFError):
            open_gguf(data[:cut])


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(GGUFError, match="no such file"):
        open_gguf(tmp_path / "absent.gguf")
    with pytest.raises(GGUFError, match="is a directory"):
        open_gguf(tmp_path)


@pytest.mark.parametrize("model", ["smollm2_path", "gemma3_path"])
def test_agrees_with_gguf_py_on_the_real_models(model, request):
    from gguf import GGUFReader

    path = request.getfixturevalue(model)
    ours, theirs = open_gguf(path), GGUFReader(path)
    assert len(ours.tensors) == len(theirs.tensors)
    for t in theirs.tensors:
        mine = ours.tensors[t.name]
        assert mine.dims == tuple(int(d) for d in t.shape)
        assert mine.ggml_type.id == int(t.tensor_type)
        assert mine.offset == t.data_offset and mine.nbytes == t.n_bytes
    for field in theirs.fields.values():
        if field.name.startswith("GGUF."):
            continue
        value = field.contents()
        assert ours.metadata[field.name] == (pytest.approx(value) if isinstance(value, float) else value), field.name


def test_header_only_read_of_a_prefix(smollm2_path):
    whole = open_gguf(smollm2_path)
    data = smollm2_path.read_bytes()
    size = len(data)
    header = open_gguf(data[:whole.data_offset], file_size=size)
    assert header.header_only and header.metadata == whole.metadata and header.tensors == whole.tensors
    with pytest.raises(GGUFError, match="header-only"):
        header.tensor_bytes("token_embd.weight")
    with pytest.raises(GGUFError, match="truncated"):
        open_gguf(data[:whole.data_offset // 2], file_size=size)  # too short a prefix: read more and retry
    with pytest.raises(GGUFError, match="past the end"):
        open_gguf(data[:whole.data_offset], file_size=size - 1000)  # the file is shorter than its tensors


# --- hostile sizes: refused at a cap, or parsed in memory close to the file's size ----------------
# Issue 8 measured the old reader: a 50 MB file with one u8 array cost 781 MB, and 1.5 M one-byte
# tensors with alignment 1 cost 801 MB. Memory is measured with tracemalloc's peak (bytes Python
# allocated while parsing; the file's own bytes are built before tracing starts).


def parse_peak(data: bytes):
    import tracemalloc

    tracemalloc.start()
    try:
        g = open_gguf(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return g, peak


def u8_array_file(count: int) -> bytes:
    return gguf([VALID_KVS[0], kv("big", 9, struct.pack("<IQ", 0, count) + bytes(range(256)) * (count // 256))])


def one_byte_tensors_file(count: int) -> bytes:
    infos = [tensor_info(f"t{i}", [1], 24, i) for i in range(count)]  # I8, one element each
    return gguf([VALID_KVS[0], kv("general.alignment", 4, struct.pack("<I", 1))], infos,
                bytes(count), alignment=1)


def test_a_large_numeric_array_is_stored_compactly():
    count = 8 * 1024 * 1024
    g, peak = parse_peak(u8_array_file(count))
    big = g.metadata["big"]
    assert len(big) == count and big[0] == 0 and big[255] == 255 and big[-1] == 255
    assert big.nbytes == count
    # One byte per element (the packed copy) plus small change; a list would take ~8 bytes each.
    assert peak < 1.25 * count, peak


def test_a_numeric_array_past_the_cap_is_refused():
    from precis.gguf import MAX_NUMERIC_ARRAY

    with pytest.raises(GGUFError, match=f"array of {MAX_NUMERIC_ARRAY + 256} numbers exceeds the cap"):
        open_gguf(u8_array_file(MAX_NUMERIC_ARRAY + 256))


def test_numeric_arrays_read_like_lists():
    """Short arrays (per-layer values) are lists; long ones are packed but read alike."""
    n = 5000
    g = open_gguf(gguf([kv("b", 9, struct.pack("<IQ", 7, n) + bytes([1, 0]) * (n // 2)),
                        kv("f", 9, struct.pack("<IQ", 6, n) + struct.pack(f"<{n}f", *([0.5, -2.0] * (n // 2)))),
                        kv("q", 9, struct.pack("<IQ", 11, n) + struct.pack(f"<{n}q", *([-2**40] * n))),
                        kv("short", 9, struct.pack("<IQ", 5, 3) + struct.pack("<3i", 4, 4, 4))]))
    b, f, q = g.metadata["b"], g.metadata["f"], g.metadata["q"]
    assert type(b).__name__ == "NumericArray" and len(b) == n
    assert b[:3] == [True, False, True] and b[1] is False and list(b)[-2:] == [True, False]
    assert b == [True, False] * (n // 2) and b != [True] * n
    assert [0.5, -2.0] * (n // 2) == f and f[:1] == [0.5] and f[-1] == -2.0
    assert q == (-2**40,) * n and q != [0] * n and q.tolist()[0] == -2**40
    assert g.metadata["short"] == [4, 4, 4] and isinstance(g.metadata["short"], list)


def test_too_many_tensors_are_refused_before_any_is_built():
    from precis.gguf import MAX_TENSORS

    import tracemalloc

    data = one_byte_tensors_file(MAX_TENSORS + 1)

    tracemalloc.start()
    try:
        with pytest.raises(GGUFError, match=f"tensor count {MAX_TENSORS + 1} exceeds the cap"):
            open_gguf(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, peak


def test_the_most_tensors_allowed_parse_in_bounded_memory():
    from precis.gguf import MAX_TENSORS

    g = open_gguf(one_byte_tensors_file(MAX_TENSORS))
    assert len(g.tensors) == MAX_TENSORS and g.tensors["t65535"].offset == g.data_offset + 65535
    # Per tensor, a few hundred bytes of Python objects (measured on fewer: tracemalloc is slow),
    # so the cap bounds the whole at MAX_TENSORS x 600 B, about 40 MB.
    count = 8192
    _, peak = parse_peak(one_byte_tensors_file(count))
    assert peak < 600 * count, peak / count


def test_too_many_strings_are_refused():
    from precis.gguf import MAX_METADATA_OBJECTS

    count = MAX_METADATA_OBJECTS + 1
    data = gguf([kv("words", 9, struct.pack("<IQ", 8, count) + s("a") * count)])
    with pytest.raises(GGUFError, match=f"more than {MAX_METADATA_OBJECTS} strings, arrays and numbers"):
        open_gguf(data)


def test_a_file_shorter_than_a_header_is_refused_by_its_size(tmp_path):
    short = tmp_path / "short.gguf"
    short.write_bytes(b"GGUF\x03\0\0\0")
    with pytest.raises(GGUFError, match="8 bytes, shorter than a GGUF header"):
        open_gguf(short)
