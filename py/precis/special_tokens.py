"""Finding special tokens (control and user-defined ones, e.g. `<|im_start|>`, `<end_of_turn>`,
Gemma's runs of spaces and newlines) in raw text, before any other tokenization.

The text is cut at each occurrence, leftmost first and longest on ties at the same place:
a chat prompt's `<|im_start|>` becomes its single id instead of "<", "|", "im", ...

Untrusted text (a page, a title, a user's message) must never become a control token: the
caller names its spans (`plain_spans`), and a control token that overlaps one is not matched
there, so `<|im_end|>` written in a page is encoded as the text "<", "|", "im", ...
User-defined tokens (Gemma's whitespace runs, HTML tags) are ordinary text and still match.
"""

from __future__ import annotations

from bisect import bisect_right

import re

_END = None  # trie key marking "a token ends here"; never a character

# Each character of a special token is one trie node (a dict, ~200 bytes): a 16 MB "control token" would
# cost gigabytes. Real ones are short (the longest measured: Gemma 3's run of 31 spaces, Llama 3's
# "<|reserved_special_token_250|>", 30); 1,024 leaves ample room.
MAX_SPECIAL_TOKEN_CHARS = 1024


class SpecialTokenError(ValueError):
    """A special token is too long to be one (the message says which)."""


class SpecialTokenSplitter:
    def __init__(self, specials: dict[str, int], control_ids=()):
        """`specials` maps token text -> id (empty texts are ignored); `control_ids`: the ids
        that untrusted text may not produce (see split's plain_spans)."""
        self.control_ids = frozenset(control_ids)
        self.trie: dict = {}
        for text, token_id in specials.items():
            if not text:
                continue
            if len(text) > MAX_SPECIAL_TOKEN_CHARS:
                raise SpecialTokenError(f"special token {token_id} is {len(text):,} characters long, over the "
                                        f"ceiling of {MAX_SPECIAL_TOKEN_CHARS:,}")
            node = self.trie
            for ch in text:
                node = node.setdefault(ch, {})
            node[_END] = token_id
        # A quick C-speed scan for the characters a special token can start with.
        starts = "".join(re.escape(ch) for ch in sorted(self.trie))
        self._starts = re.compile(f"[{starts}]") if starts else None

    def split(self, text: str, plain_spans=()) -> list[str | int]:
        """`text` as a list of raw-text pieces (str, never empty) and special token ids (int).

        plain_spans: sorted, non-overlapping (start, end) spans of untrusted text, where no
        control token may match (a match overlapping one is skipped)."""
        starts_at = [s for s, _ in plain_spans]
        ends_at = [e for _, e in plain_spans]

        def overlaps_plain(a: int, b: int) -> bool:
            k = bisect_right(starts_at, b - 1) - 1  # the last span starting before b
            return k >= 0 and ends_at[k] > a

        if self._starts is None:
            return [text] if text else []
        out: list[str | int] = []
        cursor = 0  # text before this has been emitted
        trie = self.trie
        n = len(text)
        for m in self._starts.finditer(text):
            start = m.start()
            if start < cursor:
                continue  # inside a token we already took
            node = trie
            i = start
            found_end, found_id = -1, None
            while i < n:
                node = node.get(text[i])
                if node is None:
                    break
                i += 1
                if _END in node:
                    found_end, found_id = i, node[_END]
            if found_id is None:
                continue
            if plain_spans and found_id in self.control_ids and overlaps_plain(start, found_end):
                continue  # written by the page or the user: it stays text
            if cursor < start:
                out.append(text[cursor:start])
            out.append(found_id)
            cursor = found_end
        if cursor < n:
            out.append(text[cursor:])
        return out
