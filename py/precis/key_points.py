"""Bullet lists in summaries: what a bullet line is, and tidying what small models write into one.

Asked for a "- " list, small models often number the items after the bullet and repeat a point
word for word (SmolLM2-135M does both on a short page):
    - 1. The bridge reopened in October.          - The bridge reopened in October.
    - 2. The bridge reopened in October.    ->
    - 3. The bridge reopened in October.
tidy_bullets() drops that numbering (only when it counts 1, 2, 3... down the list, so a point
that starts with a year keeps it) and every bullet that says again what an earlier one said.
The reader, and grounding's count of supported points, then get each point once.
Lines that are not bullets are kept as written. Pure stdlib: runs in Pyodide.
"""

from __future__ import annotations

import re

# A bullet or numbered item, and its text.
BULLET_LINE = re.compile(r"^\s*(?:[-*+•・·]|\d+[.)、])\s*(.*\S)\s*$")
# The list's own number at the start of an item's text: "2. Masons built..." (not "2024 was...").
ITEM_NUMBER = re.compile(r"^(\d{1,2})[.)、]\s*(?=\S)")
# A bullet mark, not a numbered item: only after one of these is a number the model's own count.
_MARK = re.compile(r"^\s*[-*+•・·]")
# What two points may differ by and still say the same: case, spacing, punctuation.
_NOT_WORD = re.compile(r"[\W_]+")


def _same_point_key(text: str) -> str:
    return _NOT_WORD.sub(" ", text).casefold().strip()


def _numbered_one_two_three(bullets: list) -> bool:
    """Every one of `bullets` (matches of BULLET_LINE) starts with its place in the list: 1, 2, 3..."""
    numbers = [int(n.group(1)) for n in (ITEM_NUMBER.match(m.group(1)) for m in bullets) if n]
    return bool(bullets) and numbers == list(range(1, len(bullets) + 1))


def tidy_bullets(text: str) -> str:
    """`text` with repeated bullets dropped and the model's numbering after bullet marks removed."""
    lines = text.split("\n")
    marked = {}   # line index -> match, for every "- " bullet (not "1." items)
    repeats = set()
    seen = set()
    for i, line in enumerate(lines):
        m = BULLET_LINE.match(line)
        if not m:
            continue
        if _MARK.match(line):
            marked[i] = m
        key = _same_point_key(ITEM_NUMBER.sub("", m.group(1), count=1))
        if key in seen:
            repeats.add(i)
        seen.add(key)

    kept = {i: m for i, m in marked.items() if i not in repeats}
    # The bullets count 1, 2, 3..., with their repeats or without: the numbers are the model's count.
    if _numbered_one_two_three(list(marked.values())) or _numbered_one_two_three(list(kept.values())):
        for i, m in kept.items():
            lines[i] = lines[i][:m.start(1)] + ITEM_NUMBER.sub("", m.group(1), count=1)
    return "\n".join(line for i, line in enumerate(lines) if i not in repeats)
