"""The BPE merge loop shared by both tokenizer kinds.

Start from a word's symbols (byte characters for byte-level BPE, Unicode characters for
SentencePiece). Repeatedly merge the adjacent pair with the best (lowest) rank, the leftmost
one on ties, until no adjacent pair has a rank. The rank comes from a dict keyed by
left + joiner + right:
- byte-level BPE: joiner " ", so the key is the GGUF's own merge line "left right" (a byte-level
  symbol never holds a space) and the tokenizer keeps no second copy of 150k merges; the rank is
  the line number;
- SentencePiece BPE: joiner "", the merged string; the rank is minus its score.

Short words (the common case, a cache miss on a page) use a direct scan; long words (a
base64 blob, a run of "=====") use a heap over a linked list, O(n log n) instead of O(n^2).
Both give the same result: the best pair is always merged first, leftmost on ties.
"""

from __future__ import annotations

import heapq
from typing import Callable, Optional

# Below this many symbols the O(n^2) scan beats the heap's bookkeeping in CPython.
SCAN_LIMIT = 48
# The heap loop calls its checkpoint every this many pops (a few ms of CPython work).
CHECK_EVERY = 4096


def merge(symbols: list[str], ranks: dict, joiner: str,
          checkpoint: Optional[Callable[[], None]] = None) -> list[str]:
    """Merge `symbols` (a fresh list, consumed) as described above; returns the final symbols.
    checkpoint: called every CHECK_EVERY merge steps of a long word; it may raise to abandon it."""
    if len(symbols) < 2:
        return symbols
    if len(symbols) <= SCAN_LIMIT:
        return _merge_scan(symbols, ranks, joiner)
    return _merge_heap(symbols, ranks, joiner, checkpoint)


def _merge_scan(symbols: list[str], ranks: dict, joiner: str) -> list[str]:
    get = ranks.get
    while len(symbols) > 1:
        best_rank = None
        best_pos = -1
        for pos in range(len(symbols) - 1):
            rank = get(symbols[pos] + joiner + symbols[pos + 1])
            if rank is not None and (best_rank is None or rank < best_rank):
                best_rank = rank
                best_pos = pos
        if best_pos < 0:
            break
        symbols[best_pos:best_pos + 2] = [symbols[best_pos] + symbols[best_pos + 1]]
    return symbols


def _merge_heap(symbols: list[str], ranks: dict, joiner: str,
                checkpoint: Optional[Callable[[], None]] = None) -> list[str]:
    # Linked list over the initial positions: text[p] is the symbol starting at p ("" once
    # merged into its left neighbour); nxt/prv link the live symbols.
    n = len(symbols)
    text = symbols
    nxt = list(range(1, n + 1))  # n means "none"
    prv = list(range(-1, n - 1))
    get = ranks.get
    heap = []

    def push(left: int) -> None:
        right = nxt[left]
        if right < n:
            a, b = text[left], text[right]
            rank = get(a + joiner + b)
            if rank is not None:
                # (rank, position) orders best rank first, then leftmost.
                heap.append((rank, left, a, b))

    for p in range(n - 1):
        push(p)
    heapq.heapify(heap)

    steps = 0
    while heap:
        steps += 1
        if checkpoint is not None and steps % CHECK_EVERY == 0:
            checkpoint()
        rank, left, a, b = heapq.heappop(heap)
        right = nxt[left]
        # Stale entry: a symbol only ever grows when merged, so unchanged texts mean the
        # pair is still there.
        if right >= n or text[left] != a or text[right] != b:
            continue
        text[left] = a + b
        text[right] = ""
        after = nxt[right]
        nxt[left] = after
        if after < n:
            prv[after] = left
        # The merged symbol forms new pairs with both neighbours.
        before = prv[left]
        for p in ((before, left) if before >= 0 else (left,)):
            r = nxt[p]
            if r < n:
                x, y = text[p], text[r]
                rk = get(x + joiner + y)
                if rk is not None:
                    heapq.heappush(heap, (rk, p, x, y))
    out = []
    p = 0
    while p < n:
        out.append(text[p])
        p = nxt[p]
    return out
