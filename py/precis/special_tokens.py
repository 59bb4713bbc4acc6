"""Finding special tokens (control and user-defined ones, e.g. `<|im_start|>`, `<end_of_turn>`,
Gemma's runs of spaces and newlines) in raw text, before any other tokenization.

The text is cut at each occurrence, leftmost first and longest on ties at the same place:
a chat prompt's `<|im_start|>` becomes its single id instead of "<", "|", "im", ...
"""

from __future__ import annotations

import re

_END = None  # trie key marking "a token ends here"; never a character


class SpecialTokenSplitter:
    def __init__(self, specials: dict[str, int]):
        """`specials` maps token text -> id (empty texts are ignored)."""
        self.trie: dict = {}
        for text, token_id in specials.items():
            if not text:
                continue
            node = self.trie
            for ch in text:
                node = node.setdefault(ch, {})
            node[_END] = token_id
        # A quick C-speed scan for the characters a special token can start with.
        starts = "".join(re.escape(ch) for ch in sorted(self.trie))
        self._starts = re.compile(f"[{starts}]") if starts else None

    def split(self, text: str) -> list[str | int]:
        """`text` as a list of raw-text pieces (str, never empty) and special token ids (int)."""
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
            if cursor < start:
                out.append(text[cursor:start])
            out.append(found_id)
            cursor = found_end
        if cursor < n:
            out.append(text[cursor:])
        return out
