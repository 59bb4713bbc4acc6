"""Bullet lists in summaries: what a bullet line is, and tidying what small models write into one.

Asked for a "- " list, small models often number the items (after the bullet, or instead of it
from the second item on) and repeat a point word for word (SmolLM2-135M does both):
    - 1. The bridge reopened in October.          - The bridge reopened in October.
    - 2. The bridge reopened in October.    ->    - It cost 3.4 million euros.
    3. It cost 3.4 million euros.
tidy_bullets() drops every item that says again what an earlier one said, and empty bullets
("- ", "- 2": where generation stopped a loop, see precis.generation). When the items are
numbered 1, 2, 3... down the list (counting the dropped ones or not), the numbers are the
model's count, not content: each item becomes a "- " bullet without it. A point that starts
with a year ("- 2024 was dry") keeps it. The reader, and grounding's count of supported points,
then get each point once. Lines that are not list items are kept as written. Pure stdlib: runs
in Pyodide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# The list's own number of an item: "2." "2)" "2、" (matched whole: "- 2." is an empty bullet).
LIST_NUMBER = r"\d{1,2}[.)、]"
# A bullet or numbered item, and its text.
BULLET_LINE = re.compile(r"^\s*(?:[-*+•・·]|\d+[.)、](?!\d))\s*(.*\S)\s*$")
# The list's own number at the start of an item's text: "2. Masons built..." (not "2024 was...", "2.1 million").
ITEM_NUMBER = re.compile(rf"^(\d{{1,2}})[.)、](?!\d)\s*(?=\S)")
# A numbered item without a bullet mark: its indentation, number and text.
_NUMBERED_LINE = re.compile(r"^(\s*)(\d{1,2})[.)、](?!\d)\s*(.*\S)\s*$")
# A bullet mark and the space after it.
_MARK = re.compile(r"^\s*[-*+•・·]\s*")
# A bullet with nothing in it but, perhaps, its number ("- ", "- 2.", "- 2").
_EMPTY_BULLET = re.compile(rf"^\s*[-*+•・·]\s*(?:{LIST_NUMBER}?)?\s*$")
# What two points may differ by and still say the same: case, spacing, punctuation.
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class _Item:
    line: int
    mark: str                # what the bullet line starts with ("- ", "  * "), or the indentation of "2. ..."
    number: Optional[int]    # the item's number: "- 2. ..." or "2. ...", else None
    text: str                # the item's text without mark and number


def _item(i: int, line: str) -> Optional[_Item]:
    mark = _MARK.match(line)
    if mark:
        m = BULLET_LINE.match(line)
        if not m:
            return None
        body = m.group(1)
        n = ITEM_NUMBER.match(body)
        return _Item(i, mark.group(0), int(n.group(1)) if n else None, body[n.end():] if n else body)
    m = _NUMBERED_LINE.match(line)
    if m:
        return _Item(i, m.group(1), int(m.group(2)), m.group(3))
    return None


def point_key(text: str) -> str:
    """What two points are compared by: their words, casefolded (case, spacing and punctuation aside)."""
    return _NOT_WORD.sub(" ", text).casefold().strip()


def _counted_one_two_three(items: list) -> bool:
    return bool(items) and [item.number for item in items] == list(range(1, len(items) + 1))


def tidy_bullets(text: str) -> str:
    """`text` without repeated or empty items, and without the model's own count of them."""
    lines = text.split("\n")
    items, dropped, seen = [], set(), set()   # dropped: line indexes of repeats and empty bullets
    for i, line in enumerate(lines):
        if _EMPTY_BULLET.match(line):
            dropped.add(i)
            continue
        item = _item(i, line)
        if item is None:
            continue
        items.append(item)
        key = point_key(item.text)
        if key in seen:
            dropped.add(i)
        seen.add(key)
    kept = [item for item in items if item.line not in dropped]
    if _counted_one_two_three(items) or _counted_one_two_three(kept):
        for item in kept:
            mark = item.mark if _MARK.match(item.mark) else item.mark + "- "
            lines[item.line] = mark + item.text
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped)
