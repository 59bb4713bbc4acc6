"""GGUF reader: header, metadata, tensor infos. Pure stdlib, so it runs in Pyodide too.

Layout of a GGUF file (little-endian), versions 2 and 3:
    magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv
    n_kv    x (string key | u32 value_type | value)
    n_tensors x (string name | u32 n_dims | n_dims x u64 ne | u32 ggml_type | u64 offset)
    padding to `general.alignment` (default 32)
    tensor data; each tensor's offset is relative to the start of this section.
A string is u64 length + UTF-8 bytes; an array is u32 element type + u64 count + elements.

Every problem with the input (bad magic, absurd counts, truncation, unknown types,
tensors past the end or overlapping) raises GGUFError with a message naming it, before
any large allocation: the file's size is known first, and every count and length is checked
against the bytes that remain and against the caps below before objects are built. The tokenizer's
strings (tokens, merges, chat templates) have ceilings of their own, checked at each length prefix as it
is read, so a hostile 16 MB token is refused without being decoded. Numeric
arrays longer than SMALL_NUMERIC_ARRAY are stored compactly (NumericArray: the file's bytes, not
one Python object per element), so what the metadata costs in memory stays near what it takes in
the file; shorter ones (per-layer values) are plain lists.
"""

from __future__ import annotations

import array
import mmap
import os
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Union

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4  # ggml tensors have at most 4 dimensions
MAX_NESTED_ARRAY_DEPTH = 4
# Caps far above any real model (the largest vocabularies have ~260k tokens and ~500k merges,
# the largest models ~2,000 tensors) and far below what would exhaust memory: each string,
# nested array or tensor costs ~100-300 bytes as a Python object, so a small hostile file
# could otherwise ask for gigabytes.
MAX_TENSORS = 1 << 16
MAX_METADATA_KEYS = 1 << 16
MAX_STRING_BYTES = 1 << 24          # one string (a chat template is tens of kB)
MAX_NUMERIC_ARRAY = 1 << 24         # elements of one numeric array (stored compactly)
MAX_METADATA_OBJECTS = 1 << 21      # strings, nested arrays and small-array numbers built in all
# The tokenizer's strings, checked as they are read (a hostile file's 16 MB "token" is refused at its length
# prefix, before a byte of it is decoded). Real models, measured: Gemma 3 has the most tokens (262,144, 2.3 MB
# of text), Qwen2.5 the longest (256 bytes, a run of spaces) and 151,387 merges (1.5 MB), Llama 3 ~280k merges;
# chat templates are a few kB (Qwen2.5 2.5 kB), tens of kB with tool-calling. The ceilings leave 4-16x room.
MAX_VOCAB_TOKENS = 1 << 20          # tokens in tokenizer.ggml.tokens
MAX_TOKEN_BYTES = 4096              # one token's text
MAX_VOCAB_BYTES = 32 << 20          # all tokens' text together
MAX_MERGES = 1 << 20                # lines in tokenizer.ggml.merges
MAX_MERGES_BYTES = 32 << 20         # all merges' text together
MAX_TEMPLATE_BYTES = 256 << 10      # one chat template (tokenizer.chat_template, tokenizer.chat_template.NAME)
SMALL_NUMERIC_ARRAY = 4096          # up to this many numbers an array is a list; longer, a NumericArray
HEADER_SIZE = 24                    # magic, version, tensor count, metadata count

# GGUF metadata value types.
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 = range(13)
_SCALAR_FORMATS = {
    UINT8: "<B", INT8: "<b", UINT16: "<H", INT16: "<h", UINT32: "<I", INT32: "<i",
    FLOAT32: "<f", BOOL: "<?", UINT64: "<Q", INT64: "<q", FLOAT64: "<d",
}
VALUE_TYPE_NAMES = {
    UINT8: "uint8", INT8: "int8", UINT16: "uint16", INT16: "int16", UINT32: "uint32",
    INT32: "int32", FLOAT32: "float32", BOOL: "bool", STRING: "string", ARRAY: "array",
    UINT64: "uint64", INT64: "int64", FLOAT64: "float64",
}


@dataclass(frozen=True)
class GGMLType:
    """A ggml tensor element type: `block_size` elements are stored in `type_size` bytes."""
    id: int
    name: str
    block_size: int
    type_size: int


# The ggml types we know the storage size of (ids as in ggml.h).
GGML_TYPES = {t.id: t for t in [
    GGMLType(0, "F32", 1, 4),
    GGMLType(1, "F16", 1, 2),
    GGMLType(2, "Q4_0", 32, 2 + 16),
    GGMLType(3, "Q4_1", 32, 2 + 2 + 16),
    GGMLType(6, "Q5_0", 32, 2 + 4 + 16),
    GGMLType(7, "Q5_1", 32, 2 + 2 + 4 + 16),
    GGMLType(8, "Q8_0", 32, 2 + 32),
    GGMLType(9, "Q8_1", 32, 4 + 4 + 32),
    GGMLType(10, "Q2_K", 256, 2 + 2 + 16 + 64),
    GGMLType(11, "Q3_K", 256, 2 + 64 + 32 + 12),
    GGMLType(12, "Q4_K", 256, 2 + 2 + 12 + 128),
    GGMLType(13, "Q5_K", 256, 2 + 2 + 12 + 32 + 128),
    GGMLType(14, "Q6_K", 256, 2 + 128 + 64 + 16),
    GGMLType(15, "Q8_K", 256, 4 + 256 + 32),
    GGMLType(20, "IQ4_NL", 32, 2 + 16),
    GGMLType(23, "IQ4_XS", 256, 2 + 2 + 4 + 128),
    GGMLType(24, "I8", 1, 1),
    GGMLType(25, "I16", 1, 2),
    GGMLType(26, "I32", 1, 4),
    GGMLType(27, "I64", 1, 8),
    GGMLType(28, "F64", 1, 8),
    GGMLType(30, "BF16", 1, 2),
]}
GGML_TYPE_BY_NAME = {t.name: t for t in GGML_TYPES.values()}


class GGUFError(ValueError):
    """The input is not a GGUF file we can read; the message says why."""


class GGUFTruncated(GGUFError):
    """The bytes given end before the header does: a header-only reader may ask for more."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    dims: tuple[int, ...]   # GGUF order: dims[0] is the fastest-varying (row length)
    ggml_type: GGMLType
    offset: int             # absolute byte offset of the data in the file
    nbytes: int

    @property
    def shape(self) -> tuple[int, ...]:
        """Row-major shape (numpy order): reversed dims."""
        return tuple(reversed(self.dims))

    @property
    def n_elements(self) -> int:
        n = 1
        for d in self.dims:
            n *= d
        return n

    @property
    def type_name(self) -> str:
        return self.ggml_type.name


Source = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO]

# array typecodes of the numeric value types (bool is stored as bytes, read back as bool).
_ARRAY_CODES = {
    UINT8: "B", INT8: "b", UINT16: "H", INT16: "h", UINT32: "I", INT32: "i",
    FLOAT32: "f", BOOL: "B", UINT64: "Q", INT64: "q", FLOAT64: "d",
}
for _code, _size in (("H", 2), ("I", 4), ("Q", 8)):  # the platform's C sizes must be GGUF's
    assert array.array(_code).itemsize == _size


class NumericArray(Sequence):
    """A GGUF numeric array kept as one packed buffer (array.array), read like a list:
    indexing, iteration, len, and == with any sequence of equal values."""

    __slots__ = ("_items", "_bool")
    __hash__ = None

    def __init__(self, value_type: int, raw: bytes | memoryview):
        self._items = array.array(_ARRAY_CODES[value_type])
        self._items.frombytes(raw)
        if self._items.itemsize > 1 and sys.byteorder == "big":
            self._items.byteswap()  # GGUF is little-endian
        self._bool = value_type == BOOL

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [bool(v) for v in self._items[index]] if self._bool else self._items[index].tolist()
        value = self._items[index]
        return bool(value) if self._bool else value

    def __iter__(self):
        return map(bool, self._items) if self._bool else iter(self._items)

    def __eq__(self, other):
        if isinstance(other, NumericArray):
            return self._bool == other._bool and self._items == other._items
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def tolist(self) -> list:
        return self[:]

    @property
    def nbytes(self) -> int:
        return len(self._items) * self._items.itemsize

    def __repr__(self) -> str:
        head = ", ".join(map(repr, self[:8]))
        return f"NumericArray([{head}{', ...' if len(self) > 8 else ''}], n={len(self)})"


class _Cursor:
    """Bounds-checked little-endian reads over a memoryview."""

    def __init__(self, view: memoryview, file_size: int):
        self.view = view
        self.file_size = file_size  # >= len(view) when reading a header-only prefix
        self.pos = 0
        self.objects = 0  # strings and nested arrays built so far (MAX_METADATA_OBJECTS)

    def count_objects(self, n: int, what: str) -> None:
        self.objects += n
        if self.objects > MAX_METADATA_OBJECTS:
            raise GGUFError(f"{what}: more than {MAX_METADATA_OBJECTS} strings, arrays and numbers in the metadata "
                            "(no real model has that many)")

    def remaining(self) -> int:
        """Bytes left in the whole file: what counts and lengths are checked against."""
        return self.file_size - self.pos

    def take(self, n: int, what: str) -> memoryview:
        available = len(self.view) - self.pos
        if n < 0 or n > available:
            raise GGUFTruncated(f"truncated file: {what} needs {n} bytes at offset {self.pos}, "
                            f"only {available} remain")
        chunk = self.view[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str, what: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))[0]

    def string(self, what: str, cap: int = MAX_STRING_BYTES) -> str:
        length = self.unpack("<Q", f"length of {what}")
        if length > self.remaining():
            raise GGUFError(f"string length {length} for {what} at offset {self.pos - 8} "
                            f"exceeds the {self.remaining()} bytes left in the file")
        if length > cap:
            raise GGUFError(f"{what} is {length:,} bytes long, over the ceiling of {cap:,} bytes")
        raw = self.take(length, what)
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError as e:
            raise GGUFError(f"{what} is not valid UTF-8 ({e.reason} at byte {e.start})") from None


@dataclass(frozen=True)
class _StringBounds:
    """Ceilings on one metadata value of strings: elements, bytes of one, bytes of all."""
    count: int
    each: int
    total: int
    what: str


_TOKENIZER_BOUNDS = {
    "tokenizer.ggml.tokens": _StringBounds(MAX_VOCAB_TOKENS, MAX_TOKEN_BYTES, MAX_VOCAB_BYTES, "token"),
    "tokenizer.ggml.merges": _StringBounds(MAX_MERGES, 2 * MAX_TOKEN_BYTES + 1, MAX_MERGES_BYTES, "merge"),
}


def _string_bounds(key: str) -> _StringBounds | None:
    if key == "tokenizer.chat_template" or key.startswith("tokenizer.chat_template."):
        return _StringBounds(1, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_BYTES, "chat template")
    return _TOKENIZER_BOUNDS.get(key)


def _read_bounded_strings(cur: _Cursor, key: str, count: int, bounds: _StringBounds) -> list[str]:
    """An array of strings under `bounds`: the count is checked before any is read, each length and
    the running total as each length prefix is read."""
    if count > bounds.count:
        raise GGUFError(f"metadata {key!r}: {count:,} entries, over the ceiling of {bounds.count:,} "
                        "(no real model has that many)")
    out, total = [], 0
    for i in range(count):
        value = cur.string(f"{bounds.what} #{i} of {key!r}", bounds.each)
        total += len(value)
        if total > bounds.total:
            raise GGUFError(f"metadata {key!r}: its {bounds.what}s pass {bounds.total:,} characters in all "
                            "(no real model has that much)")
        out.append(value)
    return out


def _min_encoded_size(value_type: int) -> int:
    if value_type in _SCALAR_FORMATS:
        return struct.calcsize(_SCALAR_FORMATS[value_type])
    if value_type == STRING:
        return 8
    return 12  # nested array header


def _read_value(cur: _Cursor, value_type: int, key: str, depth: int = 0) -> Any:
    fmt = _SCALAR_FORMATS.get(value_type)
    if fmt is not None:
        return cur.unpack(fmt, f"value of {key!r}")
    if value_type == STRING:
        bounds = _string_bounds(key)
        return cur.string(f"value of {key!r}", bounds.each if bounds and depth == 0 else MAX_STRING_BYTES)
    if value_type == ARRAY:
        if depth >= MAX_NESTED_ARRAY_DEPTH:
            raise GGUFError(f"metadata {key!r}: arrays nested deeper than {MAX_NESTED_ARRAY_DEPTH}")
        elem_type = cur.unpack("<I", f"array type of {key!r}")
        if elem_type not in VALUE_TYPE_NAMES:
            raise GGUFError(f"metadata {key!r}: unknown array element type {elem_type}")
        count = cur.unpack("<Q", f"array length of {key!r}")
        # Every element takes at least this many bytes: refuse counts the file cannot hold.
        if count * _min_encoded_size(elem_type) > cur.remaining():
            raise GGUFError(f"metadata {key!r}: array of {count} elements cannot fit in the "
                            f"{cur.remaining()} bytes left in the file")
        elem_fmt = _SCALAR_FORMATS.get(elem_type)
        if elem_fmt is not None:
            if count > MAX_NUMERIC_ARRAY:
                raise GGUFError(f"metadata {key!r}: array of {count} numbers exceeds the cap of "
                                f"{MAX_NUMERIC_ARRAY}")
            raw = cur.take(count * struct.calcsize(elem_fmt), f"array {key!r}")
            if count <= SMALL_NUMERIC_ARRAY:  # per-layer values and the like: a plain list
                cur.count_objects(count, f"metadata {key!r}")
                return list(struct.unpack(f"<{count}{elem_fmt[1]}", raw))
            return NumericArray(elem_type, raw)  # token scores, types: one packed buffer
        # Strings and nested arrays become one Python object each: counted before they are built.
        cur.count_objects(count, f"metadata {key!r}")
        bounds = _string_bounds(key)
        if bounds is not None and elem_type == STRING and depth == 0:
            return _read_bounded_strings(cur, key, count, bounds)
        return [_read_value(cur, elem_type, key, depth + 1) for _ in range(count)]
    raise GGUFError(f"metadata {key!r}: unknown value type {value_type}")


class GGUFFile:
    """A parsed GGUF file. Tensor data is not copied: `tensor_bytes` returns views.

    `file_size` reads a header only: `source` is then a prefix of a file of that many bytes
    (what the browser has before streaming the weights to the GPU); tensor extents are
    checked against the whole file, and `tensor_bytes` is unavailable."""

    def __init__(self, source: Source, file_size: int | None = None):
        self._mmap = None
        self.view = self._open(source)
        self.header_only = file_size is not None
        self.file_size = len(self.view) if file_size is None else file_size
        if self.file_size < len(self.view):
            raise GGUFError(f"file_size {self.file_size} is smaller than the {len(self.view)} bytes given")
        try:
            self._parse()
        except struct.error as e:  # defensive: _Cursor checks lengths before unpacking
            raise GGUFError(f"malformed file: {e}") from None

    # -- opening -------------------------------------------------------------------
    def _open(self, source: Source) -> memoryview:
        if isinstance(source, (bytes, bytearray)):
            return memoryview(source)
        if isinstance(source, memoryview):
            return source.cast("B") if source.format != "B" else source
        if isinstance(source, (str, os.PathLike)):
            try:
                size = os.stat(source).st_size
            except FileNotFoundError:
                raise GGUFError(f"no such file: {os.fspath(source)}") from None
            if 0 < size < HEADER_SIZE and not os.path.isdir(source):
                raise GGUFError(f"not a GGUF file: {size} bytes, shorter than a GGUF header ({HEADER_SIZE})")
            try:
                with open(source, "rb") as f:
                    return self._map(f)
            except FileNotFoundError:
                raise GGUFError(f"no such file: {os.fspath(source)}") from None
            except IsADirectoryError:
                raise GGUFError(f"is a directory, not a GGUF file: {os.fspath(source)}") from None
        if hasattr(source, "fileno"):
            return self._map(source)
        raise TypeError(f"cannot read GGUF from {type(source).__name__}")

    def _map(self, f: BinaryIO) -> memoryview:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise GGUFError("empty file (0 bytes)")
        try:
            self._mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            return memoryview(self._mmap)
        except (OSError, ValueError):  # no mmap (e.g. some virtual file systems): read it
            f.seek(0)
            return memoryview(f.read())

    def close(self) -> None:
        """Frees the bytes; the parsed header (metadata, tensor infos) stays readable."""
        self.view.release()
        self.view = memoryview(b"")   # tensor_bytes then says the bytes are gone, not ValueError
        if self._mmap is not None:
            self._mmap.close()
            self._mmap = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- parsing -------------------------------------------------------------------
    def _parse(self) -> None:
        cur = _Cursor(self.view, self.file_size)
        if len(self.view) < 4 or bytes(self.view[:4]) != MAGIC:
            head = bytes(self.view[:4])
            raise GGUFError(f"not a GGUF file: magic is {head!r}, expected {MAGIC!r}")
        cur.take(4, "magic")
        self.version = cur.unpack("<I", "version")
        if self.version not in SUPPORTED_VERSIONS:
            raise GGUFError(f"unsupported GGUF version {self.version} (supported: 2, 3)")
        n_tensors = cur.unpack("<Q", "tensor count")
        n_kv = cur.unpack("<Q", "metadata count")
        # A key-value pair takes at least 8 (key length) + 4 (type) + 1 bytes, a tensor info 8+4+8+4+8.
        if n_kv * 13 > cur.remaining():
            raise GGUFError(f"metadata count {n_kv} is impossible for a file of {self.file_size} bytes")
        if n_tensors * 32 > cur.remaining():
            raise GGUFError(f"tensor count {n_tensors} is impossible for a file of {self.file_size} bytes")
        if n_kv > MAX_METADATA_KEYS:
            raise GGUFError(f"metadata count {n_kv} exceeds the cap of {MAX_METADATA_KEYS}")
        if n_tensors > MAX_TENSORS:
            raise GGUFError(f"tensor count {n_tensors} exceeds the cap of {MAX_TENSORS}")
        # The tensor infos become one object each, and every key one string.
        cur.count_objects(n_kv + n_tensors, "header")

        self.metadata: dict[str, Any] = {}
        self.metadata_types: dict[str, int] = {}
        for i in range(n_kv):
            key = cur.string(f"metadata key #{i}")
            value_type = cur.unpack("<I", f"type of {key!r}")
            if value_type not in VALUE_TYPE_NAMES:
                raise GGUFError(f"metadata {key!r}: unknown value type {value_type}")
            if key in self.metadata:
                raise GGUFError(f"metadata key {key!r} appears twice")
            self.metadata[key] = _read_value(cur, value_type, key)
            self.metadata_types[key] = value_type

        alignment = self.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
        if not isinstance(alignment, int) or isinstance(alignment, bool) or alignment <= 0 \
                or alignment & (alignment - 1):
            raise GGUFError(f"general.alignment must be a positive power of two, got {alignment!r}")
        self.alignment = alignment

        infos = []
        for i in range(n_tensors):
            name = cur.string(f"name of tensor #{i}")
            n_dims = cur.unpack("<I", f"dimension count of {name!r}")
            if not 1 <= n_dims <= MAX_DIMS:
                raise GGUFError(f"tensor {name!r}: {n_dims} dimensions (1 to {MAX_DIMS} allowed)")
            dims = tuple(cur.unpack("<Q", f"dimension of {name!r}") for _ in range(n_dims))
            type_id = cur.unpack("<I", f"type of {name!r}")
            offset = cur.unpack("<Q", f"offset of {name!r}")
            infos.append((name, dims, type_id, offset))

        self.data_offset = -(-cur.pos // alignment) * alignment
        data_size = self.file_size - self.data_offset
        if n_tensors and data_size < 0:
            raise GGUFError("truncated file: tensor data section is missing")

        self.tensors: dict[str, TensorInfo] = {}
        for name, dims, type_id, offset in infos:
            ggml_type = GGML_TYPES.get(type_id)
            if ggml_type is None:
                raise GGUFError(f"tensor {name!r}: unknown ggml type {type_id}")
            if name in self.tensors:
                raise GGUFError(f"tensor {name!r} appears twice")
            if any(d == 0 for d in dims):
                raise GGUFError(f"tensor {name!r}: zero-size dimension in {list(dims)}")
            n_elements = 1
            for d in dims:
                n_elements *= d
                if n_elements > self.file_size * 8:  # more elements than the file has bits
                    raise GGUFError(f"tensor {name!r}: dimensions {list(dims)} cannot fit in the file")
            if dims[0] % ggml_type.block_size:
                raise GGUFError(f"tensor {name!r}: row length {dims[0]} is not a multiple of "
                                f"the {ggml_type.name} block size {ggml_type.block_size}")
            if offset % alignment:
                raise GGUFError(f"tensor {name!r}: offset {offset} is not aligned to {alignment}")
            nbytes = n_elements // ggml_type.block_size * ggml_type.type_size
            if offset + nbytes > data_size:
                raise GGUFError(f"tensor {name!r}: data [{offset}, {offset + nbytes}) runs past the "
                                f"end of the file ({data_size} bytes of tensor data)")
            self.tensors[name] = TensorInfo(name, dims, ggml_type, self.data_offset + offset, nbytes)

        spans = sorted((t.offset, t.offset + t.nbytes, t.name) for t in self.tensors.values())
        for (_, end_a, a), (start_b, _, b) in zip(spans, spans[1:]):
            if start_b < end_a:
                raise GGUFError(f"tensors {a!r} and {b!r} overlap in the file")

    # -- access ----------------------------------------------------------------------
    @property
    def architecture(self) -> str:
        arch = self.metadata.get("general.architecture")
        if not isinstance(arch, str):
            raise GGUFError("missing general.architecture")
        return arch

    def arch_value(self, key: str, default: Any = None) -> Any:
        """Metadata under the architecture's prefix, e.g. arch_value('block_count')."""
        return self.metadata.get(f"{self.architecture}.{key}", default)

    def tensor_bytes(self, name: str) -> memoryview:
        info = self.tensors[name]
        if info.offset + info.nbytes > len(self.view):
            raise GGUFError(f"tensor {name!r} is not in the bytes given (header-only read)")
        return self.view[info.offset:info.offset + info.nbytes]


def open_gguf(source: Source, file_size: int | None = None) -> GGUFFile:
    """Parse a GGUF file from a path, an open binary file, or bytes / memoryview
    (with `file_size`: a prefix holding at least the header, of a file that long)."""
    return GGUFFile(source, file_size)
