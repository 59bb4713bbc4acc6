"""GPT-2's byte-level alphabet: every byte 0..255 is shown as one printable character, so a
byte-level BPE vocabulary is made of ordinary strings ("Ġ" is the space byte 0x20).

The rule: bytes that are already printable Latin-1 ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for
themselves; the other 68 bytes, in increasing order, take the characters U+0100, U+0101, ...
"""

from __future__ import annotations


def _build_tables() -> tuple[list[str], dict[str, int]]:
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    printable_set = set(printable)
    byte_to_char = [""] * 256
    next_code = 256
    for b in range(256):
        if b in printable_set:
            byte_to_char[b] = chr(b)
        else:
            byte_to_char[b] = chr(next_code)
            next_code += 1
    char_to_byte = {ch: b for b, ch in enumerate(byte_to_char)}
    return byte_to_char, char_to_byte


BYTE_TO_CHAR, CHAR_TO_BYTE = _build_tables()

# bytes.translate cannot map to multi-byte output, so map through a str -> str table instead:
# decode the UTF-8 bytes as Latin-1 (one char per byte), then translate each char.
_LATIN1_TO_BYTE_CHAR = {b: BYTE_TO_CHAR[b] for b in range(256)}


def bytes_to_symbols(data: bytes) -> str:
    """The byte-level string for `data` (one character per byte)."""
    return data.decode("latin-1").translate(_LATIN1_TO_BYTE_CHAR)


def text_to_symbols(text: str) -> str:
    """The byte-level string for the UTF-8 encoding of `text`."""
    return bytes_to_symbols(text.encode("utf-8"))


def symbols_to_bytes(symbols: str) -> bytes | None:
    """Inverse of bytes_to_symbols; None if a character is outside the alphabet."""
    try:
        return bytes(CHAR_TO_BYTE[ch] for ch in symbols)
    except KeyError:
        return None
