"""Pre-tokenizers for byte-level BPE: split text into the "words" BPE merges inside.

Each model family fixes its split rule as a regular expression over Unicode classes. Pyodide
has no `regex` module (and `re` knows no \\p{L}), so each rule is a hand-written scanner here:
at every position it tries the rule's alternatives in order, exactly as a backtracking regex
engine would, using `unicodedata` for the classes. The rules, written as the regexes they
stand for (\\p{L} letters, \\p{N} numbers, \\s Unicode White_Space):

gpt-2 / default  's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
smollm           every \\p{N} character on its own first (any script: "٢٠", "½", "²", "Ⅻ"),
                 then the gpt-2 rule on the text between them
llama-bpe        (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}
                 | ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+
qwen2            as llama-bpe, but \\p{N} one at a time instead of {1,3}
gpt-4o           [^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+
                     (?i:'s|'t|'re|'ve|'m|'ll|'d)?
                 |[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*
                     (?i:'s|'t|'re|'ve|'m|'ll|'d)?
                 |\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+
                 (OpenAI's o200k rule, Phi-4-mini's: words split by letter case, marks \\p{M}
                 count as letters, a contraction is a suffix of its word, and "/" follows
                 punctuation's newlines)

Every function returns the list of pieces; joined, they give back the input.
"""

from __future__ import annotations

import unicodedata

# Character classes used by the rules.
LETTER, NUMBER, SPACE, OTHER = "L", "N", "S", "O"

# Unicode White_Space (what \s means in the reference engines). Not str.isspace(): that also
# counts U+001C..U+001F, which \s does not.
WHITE_SPACE = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

_class_cache: dict[str, str] = {}


def char_class(ch: str) -> str:
    """LETTER (\\p{L}), NUMBER (\\p{N}), SPACE (\\s) or OTHER, memoized per character."""
    cls = _class_cache.get(ch)
    if cls is None:
        if ch in WHITE_SPACE:
            cls = SPACE
        else:
            major = unicodedata.category(ch)[0]
            cls = LETTER if major == "L" else NUMBER if major == "N" else OTHER
        _class_cache[ch] = cls
    return cls


def classify(text: str) -> list[str]:
    """One class letter per character of `text`."""
    get = _class_cache.get
    out = []
    for ch in text:
        cls = get(ch)
        out.append(cls if cls is not None else char_class(ch))
    return out


def _run_end(classes: list[str], i: int, cls: str) -> int:
    """End of the run of class `cls` that starts at i."""
    n = len(classes)
    while i < n and classes[i] == cls:
        i += 1
    return i


# Contractions: the suffixes after an apostrophe. None is a prefix of another, so the
# order of the regex alternatives does not matter.
_CONTRACTIONS_1 = frozenset("stmd")
_CONTRACTIONS_2 = frozenset(("re", "ve", "ll"))


def _contraction_end(text: str, i: int, ignore_case: bool) -> int:
    """End of 's 't 're 've 'm 'll 'd at i (text[i] is an apostrophe), or -1."""
    one = text[i + 1:i + 2]
    two = text[i + 1:i + 3]
    if ignore_case:
        # Case folding, as (?i) does in the reference engines: besides A-Z it folds
        # U+017F LATIN SMALL LETTER LONG S to "s" (so "'\u017f" is a contraction); str.lower
        # would not.
        one, two = one.casefold(), two.casefold()
    if one and one in _CONTRACTIONS_1:
        return i + 2
    if len(two) == 2 and two in _CONTRACTIONS_2:
        return i + 3
    return -1


def _space_run_end(i: int, run_end: int, n: int) -> int:
    """\\s+(?!\\S) then \\s+ for the whitespace run text[i:run_end] of a text of length n: a run
    followed by a non-space gives its last character to the next piece (so " word" stays
    together), unless the run is one character long."""
    if run_end < n and run_end - i >= 2:
        return run_end - 1
    return run_end


def _space_end(classes: list[str], i: int) -> int:
    """\\s+(?!\\S) then \\s+ at i (a SPACE)."""
    return _space_run_end(i, _run_end(classes, i, SPACE), len(classes))


def _newline_or_space_end(text: str, i: int, run_end: int) -> int:
    """\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+ for the whitespace run text[i:run_end] (the Llama 3 and
    gpt-4o rules): up to and including its last newline if it has one, else as _space_run_end."""
    last_newline = max(text.rfind("\n", i, run_end), text.rfind("\r", i, run_end))
    if last_newline >= 0:
        return last_newline + 1
    return _space_run_end(i, run_end, len(text))


def split_gpt2(text: str, classes: list[str] | None = None) -> list[str]:
    """The GPT-2 rule (also `default` here)."""
    if classes is None:
        classes = classify(text)
    n = len(text)
    pieces = []
    i = 0
    while i < n:
        ch = text[i]
        cls = classes[i]
        end = -1
        if ch == "'":
            end = _contraction_end(text, i, ignore_case=False)
        if end < 0:
            # " ?X+" for X in letters, numbers, other: an optional single ASCII space first.
            if ch == " " and i + 1 < n and classes[i + 1] != SPACE:
                end = _run_end(classes, i + 1, classes[i + 1])
            elif cls != SPACE:
                end = _run_end(classes, i, cls)
            else:
                end = _space_end(classes, i)
        pieces.append(text[i:end])
        i = end
    return pieces


def split_smollm(text: str) -> list[str]:
    """SmolLM2: each number character alone, the gpt-2 rule in between."""
    classes = classify(text)
    pieces = []
    start = 0
    for i, cls in enumerate(classes):
        if cls == NUMBER:
            if start < i:
                pieces.extend(split_gpt2(text[start:i], classes[start:i]))
            pieces.append(text[i])
            start = i + 1
    if start < len(text):
        pieces.extend(split_gpt2(text[start:], classes[start:]))
    return pieces


def _split_llama3_style(text: str, max_digits: int) -> list[str]:
    """The Llama 3 rule; `max_digits` is 3 for llama-bpe, 1 for qwen2."""
    classes = classify(text)
    n = len(text)
    pieces = []
    i = 0
    while i < n:
        ch = text[i]
        cls = classes[i]
        end = -1
        if ch == "'":
            end = _contraction_end(text, i, ignore_case=True)
        if end >= 0:
            pass
        elif cls == LETTER:
            # [^\r\n\p{L}\p{N}]?\p{L}+ with nothing before the letters.
            end = _run_end(classes, i, LETTER)
        elif cls != NUMBER and ch not in "\r\n" and i + 1 < n and classes[i + 1] == LETTER:
            # ... with one leading non-letter, non-number, non-newline (space, punctuation).
            end = _run_end(classes, i + 1, LETTER)
        elif cls == NUMBER:
            end = i + 1
            while end < n and end - i < max_digits and classes[end] == NUMBER:
                end += 1
        elif cls == OTHER or (ch == " " and i + 1 < n and classes[i + 1] == OTHER):
            # " ?[^\s\p{L}\p{N}]+[\r\n]*"
            end = _run_end(classes, i + 1 if cls == SPACE else i, OTHER)
            while end < n and text[end] in "\r\n":
                end += 1
        else:
            end = _newline_or_space_end(text, i, _run_end(classes, i, SPACE))
        pieces.append(text[i:end])
        i = end
    return pieces


def split_llama3(text: str) -> list[str]:
    return _split_llama3_style(text, max_digits=3)


def split_qwen2(text: str) -> list[str]:
    return _split_llama3_style(text, max_digits=1)


# ---- gpt-4o (o200k) ----
#
# Its letter classes need finer character classes than char_class gives. One letter per class:
GPT4O_UPPER = "U"     # Lu, Lt: only in the upper class [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
GPT4O_LOWER = "l"     # Ll: only in the lower class [\p{Ll}\p{Lm}\p{Lo}\p{M}]
GPT4O_CASELESS = "C"  # Lm, Lo: in both
GPT4O_MARK = "M"      # \p{M}: in both too, yet not \p{L}: it may also be the leading character
#                       [^\r\n\p{L}\p{N}] or part of the punctuation [^\s\p{L}\p{N}]+
GPT4O_NEWLINE = "R"   # \r, \n (White_Space, but apart in [^\r\n...] and [\r\n]+)
# and NUMBER ("N"), SPACE ("S", the rest of White_Space), OTHER ("O") as in char_class.
# The scanner below spells these letters as literals, the fastest comparison in CPython.

_gpt4o_cache: dict[str, str] = {}


def gpt4o_char_class(ch: str) -> str:
    """The gpt-4o class of one character (GPT4O_*, NUMBER, SPACE or OTHER), memoized."""
    cls = _gpt4o_cache.get(ch)
    if cls is None:
        if ch in WHITE_SPACE:
            cls = GPT4O_NEWLINE if ch == "\r" or ch == "\n" else SPACE
        else:
            cat = unicodedata.category(ch)
            major = cat[0]
            if major == "L":
                cls = (GPT4O_LOWER if cat == "Ll" else GPT4O_UPPER if cat in ("Lu", "Lt")
                       else GPT4O_CASELESS)
            elif major == "M":
                cls = GPT4O_MARK
            else:
                cls = NUMBER if major == "N" else OTHER
        _gpt4o_cache[ch] = cls
    return cls


def gpt4o_classify(text: str) -> str:
    """One gpt-4o class letter per character of `text`, as a str."""
    lookup = _gpt4o_cache.__getitem__
    try:
        return "".join(map(lookup, text))
    except KeyError:  # characters not seen before: classify each distinct one once
        for ch in set(text):
            if ch not in _gpt4o_cache:
                gpt4o_char_class(ch)
        return "".join(map(lookup, text))


def _gpt4o_letters_end(classes: str, j: int, n: int) -> int:
    """Where the letters of the first two alternatives that start at j end (before the
    contraction), or j if there are none.

    First alternative, [upper class]*[lower class]+: the star takes the whole run of Lu Lt Lm
    Lo M, then gives characters back until the + part matches. If the run is followed by an
    Ll, the + part starts there and takes the run of Ll Lm Lo M. Otherwise it can only start
    on a character of the run that is in both classes: the last Lm Lo or M of the run; after
    it come only Lu/Lt (or the run's end, not Ll), so the + part is that one character.
    Second alternative, [upper class]+[lower class]*, where the first failed: the run was
    only Lu/Lt and no Ll follows, so it is the run."""
    k = j
    last_both = -1
    while k < n:
        c = classes[k]
        if c == "U":
            k += 1
        elif c == "C" or c == "M":
            k += 1
            while k < n and classes[k] in "CM":  # a tight loop for CJK, kana, Thai...
                k += 1
            last_both = k - 1
        else:
            break
    if k < n and classes[k] == "l":
        k += 1
        while k < n and classes[k] in "lCM":
            k += 1
        return k
    if last_both >= 0:
        return last_both + 1
    return k


def split_gpt4o(text: str) -> list[str]:
    """The gpt-4o (o200k) rule."""
    classes = gpt4o_classify(text)
    n = len(text)
    pieces = []
    i = 0
    while i < n:
        cls = classes[i]
        if cls in "UlC":
            # A word with nothing before it.
            end = _gpt4o_letters_end(classes, i, n)
        elif cls == "M" or ((cls == "S" or cls == "O") and i + 1 < n and classes[i + 1] in "UlCM"):
            # A word after one leading [^\r\n\p{L}\p{N}]: tried first with it, then (only a
            # mark can be a letter too) without it, where the mark is the word's first letter.
            end = _gpt4o_letters_end(classes, i + 1, n)
            if cls == "M" and (end == i + 1 or classes[end - 1] == "U"):
                # With the mark as leading character only the second alternative matched (the
                # letters end on Lu/Lt) or nothing did; the first alternative without it comes
                # before that and always matches: the mark alone is the + part.
                end = i + 1
        else:
            end = -1
        if end >= 0:
            if end < n and text[end] == "'":
                contraction = _contraction_end(text, end, ignore_case=True)
                if contraction >= 0:
                    end = contraction
        elif cls == "N":
            end = i + 1
            while end < n and end - i < 3 and classes[end] == "N":
                end += 1
        elif cls == "O" or (text[i] == " " and i + 1 < n and classes[i + 1] == "O"):
            # " ?[^\s\p{L}\p{N}]+[\r\n/]*" (a mark after " " was taken as a word above).
            end = i + 1
            while end < n and classes[end] in "OM":
                end += 1
            while end < n and text[end] in "\r\n/":
                end += 1
        else:
            # Whitespace, as in the Llama 3 rule.
            run_end = i + 1
            while run_end < n and classes[run_end] in "SR":
                run_end += 1
            end = _newline_or_space_end(text, i, run_end)
        pieces.append(text[i:end])
        i = end
    return pieces


# `tokenizer.ggml.pre` value -> scanner.
PRE_TOKENIZERS = {
    "default": split_gpt2,
    "gpt-2": split_gpt2,
    "gpt2": split_gpt2,
    "smollm": split_smollm,
    "llama-bpe": split_llama3,
    "llama3": split_llama3,
    "qwen2": split_qwen2,
    "gpt-4o": split_gpt4o,
}
