"""The summary's shape, enforced while it is generated: a constraint the generation loop consults
with each step's candidates (the device's top-k ids and logits). Pure stdlib: runs in Pyodide.

Small models do not keep to what the prompt asks (3 points come back as 5, or as one point three
times; a Chinese page is answered in English; the title is played back as a point). Instead of
hoping, SummaryShape.adjust(ids, logits, text) narrows the candidates before the sampler draws:

  key-points (N points, the answer starts with "- ")
    - at the start of a line: only a candidate that starts the bullet ("-"), then one that starts
      with a space after it; none among the top-k: the bullet's token is forced
    - before the Nth point: end of text is masked; where it was the best candidate, a newline is
      forced instead (then the bullet, as above)
    - in the Nth point: a newline means the end: its candidates are masked and end of text takes
      the best of their logits; after N points end of text is forced
    - an empty point never ends (no newline or end of text before its first word)
    - repeats: a candidate is masked when the point with it would
      begin as an earlier point, the title, the byline or a short header line of the page does
      (compared after point_key's normalization, from REPEAT_BYTES bytes on, or the whole of a
      shorter one of at least MIN_AVOID_BYTES bytes), or when its last SPAN_BYTES bytes would be
      found in an earlier point: the copy cannot go on
  tldr / teaser (N sentences): one paragraph (a newline ends it); once N sentences ended, end of text
  headline: one line; ends at twice its word limit (a runaway; the limit itself is asked, not cut to:
  a headline cut at its 12th word stops mid-phrase)
  every style:
    - language: answering a Chinese (Japanese, Korean) page, the first token with letters of each
      point (of the answer) must not hold Latin letters -- later tokens may (names, units, "GPU");
      answering a page in a Latin-script language, no candidate may hold Han, kana or Hangul
  When every candidate is masked, the point ends (newline, or end of text for the last one).
  names (when the shape knows the page's names, page_names): once a name in the current line is
    finished (followed by something no name goes on with), take_back() says where it began if the page
    uses it nowhere ("斯河石桥" for the page's "维尔河石桥") or spells it otherwise (山上科技馆 for
    上海科技馆: from 山); the generation loop then undoes the token that began it and draws that step
    again without it (precis.generation, step 8). Small models garble the names they copy, Chinese
    transliterations above all.

The tokenizer tells what each candidate is (its bytes: newline, bullet, letters of which script), so
this works for every model; stop_ids are the ids that end the answer (EOS, end of turn).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Optional, Sequence

from precis.key_points import BULLET_LINE, ITEM_NUMBER, LIST_NUMBER, point_key
from precis.scripts import CJK_CLASS

# A repeat is recognized from this many bytes of normalized text on (15 Latin letters, 5 Chinese characters).
REPEAT_BYTES = 15
# A point that goes on copying an earlier point from its middle: this many bytes of it are found in that point.
SPAN_BYTES = 40
# Title, byline and header lines shorter than this are not avoided (a 3-letter site name may start a point).
MIN_AVOID_BYTES = 6
# A header line of the page (a site name, "机器之能报道") is a short line among its first ones.
HEADER_LINES = 3
HEADER_LINE_CHARS = 40
# A headline is ended at this many times the words asked.
HEADLINE_SLACK = 2
CJK_LANGUAGES = ("Chinese", "Japanese", "Korean")

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CJK = re.compile(f"[{CJK_CLASS}]")
_LETTER = re.compile(r"[^\W\d_]")
# A sentence end: CJK full stops at once, Latin ones when whitespace follows (so "3.4" is not one).
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s)")
# A point that is only the model's count ("3.", "3"): nothing yet.
_BARE_NUMBER = re.compile(f"{LIST_NUMBER}?")
_PENDING_END = re.compile(r"[.!?][\"')\]]?$")


def _bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _header_lines(text: str) -> list:
    lines = [line.strip() for line in text.split("\n") if line.strip()][:HEADER_LINES]
    return [line for line in lines if len(line) <= HEADER_LINE_CHARS]


class SummaryShape:
    """What a summary must look like; adjust() applies it to one step's candidates (see the module docstring).

    style: "key-points", "tldr", "teaser" or "headline"; count: points (key-points) or sentences (tldr,
    teaser); words: the headline's limit; language: the page's ("Chinese", "English", "" unknown);
    prefix: the answer's start written for the model ("- "); avoid: texts no point may play back;
    page_names(line) -> [(start, end)] of the finished names in `line` that the page never uses or spells
    otherwise (grounding's PassageIndex.names_not_in_page), or None: nothing is taken back.
    """

    # The end of the current line held back from the reader while it may still be taken back: a name
    # and the character after it (a name longer than this is left to the grounding check).
    TAKE_BACK_CHARS = 24

    def __init__(self, tokenizer, stop_ids: Iterable[int], *, style: str, count: int = 0, words: int = 0,
                 language: str = "", prefix: str = "", avoid: Sequence[str] = (),
                 page_names: Optional[Callable[[str], list]] = None):
        self.tokenizer = tokenizer
        self.stop_ids = set(stop_ids)
        if not self.stop_ids:
            raise ValueError("a summary shape needs the ids that end the answer")
        self.eos = min(self.stop_ids)
        self.style = style
        self.count = count
        self.words = words
        self.language = language
        self.prefix = prefix
        keys = [point_key(text) for text in avoid if text]
        self.avoid = [key for n, key in enumerate(keys) if _bytes(key) >= MIN_AVOID_BYTES and key not in keys[:n]]
        self.newline = self._single_id("\n")
        self.dash = self._single_id("-")
        self.space = self._single_id(" ")
        self.page_names = page_names
        self._pieces: dict = {}

    def _single_id(self, text: str) -> int:
        ids = self.tokenizer.encode(text, add_special=False)
        if len(ids) != 1:
            raise ValueError(f"the tokenizer has no single token for {text!r}")
        return ids[0]

    def piece(self, token_id: int) -> str:
        """The candidate's text ('' for a special token; a cut UTF-8 character shows as U+FFFD)."""
        text = self._pieces.get(token_id)
        if text is None:
            tok = self.tokenizer
            text = "" if tok.is_special(token_id) else tok.token_bytes(token_id).decode("utf-8", "replace")
            self._pieces[token_id] = text
        return text

    # ---- the rules -------------------------------------------------------------------------------

    def _wrong_script(self, piece: str, first_words: bool) -> bool:
        if not self.language:
            return False
        if self.language in CJK_LANGUAGES:
            return first_words and bool(_LATIN.search(piece))
        return bool(_CJK.search(piece))

    def _copies(self, body: str, earlier: Sequence[str]) -> bool:
        """`body` (a point so far) begins as an earlier point or an avoided text does."""
        key = point_key(body)
        size = _bytes(key)
        if not key:
            return False
        for other in list(self.avoid) + list(earlier):
            if other.startswith(key) and size >= min(REPEAT_BYTES, _bytes(other)):
                return True
        if size >= SPAN_BYTES:
            start, tail = len(key), 0
            while tail < SPAN_BYTES:
                start -= 1
                tail += _bytes(key[start])
            return any(key[start:] in other for other in earlier)
        return False

    def adjust(self, ids: Sequence[int], logits: Sequence[float], text: str) -> tuple:
        """The candidates the sampler may draw from after `text` (the answer so far, without the prefix):
        (ids, logits), best first as given, never empty."""
        full = self.prefix + text
        if self.style == "key-points":
            return self._key_points(list(ids), [float(x) for x in logits], full)
        return self._paragraph(list(ids), [float(x) for x in logits], full)

    def take_back(self, text: str) -> int:
        """Where `text` (the answer so far, without the prefix) must be taken back from: the start of the
        first finished name of its last line that the page never uses; -1 where there is none."""
        if self.page_names is None:
            return -1
        full = self.prefix + text
        line_start = full.rfind("\n") + 1
        line = full[line_start:]
        for start, _ in self.page_names(line):
            if line_start + start >= len(self.prefix):
                return line_start + start - len(self.prefix)
        return -1

    def _forced(self, token_id: int, ids: list, logits: list) -> tuple:
        logit = logits[ids.index(token_id)] if token_id in ids else 0.0
        return [token_id], [logit]

    def _ending(self, kept: list, ending: list) -> tuple:
        """`kept` (id, logit) pairs plus end of text, at the best logit among `ending` (what would have ended)."""
        if ending:
            kept = [(i, x) for i, x in kept if i not in self.stop_ids] + [(self.eos, max(ending))]
            kept.sort(key=lambda pair: -pair[1])
        return [i for i, _ in kept], [x for _, x in kept]

    def _key_points(self, ids: list, logits: list, full: str) -> tuple:
        lines = full.split("\n")
        current = lines[-1]
        done = sum(1 for line in lines[:-1] if BULLET_LINE.match(line))
        last = done >= self.count - 1
        if done >= self.count:
            return self._forced(self.eos, ids, logits)
        if current.strip() == "":
            kept = [(i, x) for i, x in zip(ids, logits) if self.piece(i).startswith("-")]
            return ([i for i, _ in kept], [x for _, x in kept]) if kept else self._forced(self.dash, ids, logits)
        if current.strip() == "-" and not current.endswith(" "):
            kept = [(i, x) for i, x in zip(ids, logits)
                    if self.piece(i).startswith(" ") and "\n" not in self.piece(i)]
            return ([i for i, _ in kept], [x for _, x in kept]) if kept else self._forced(self.space, ids, logits)

        body = current.lstrip()[1:].lstrip() if current.lstrip().startswith("-") else current.strip()
        body = ITEM_NUMBER.sub("", body, count=1)          # the model's own "1.", "2." is not the point
        if _BARE_NUMBER.fullmatch(body.strip()):
            body = ""                                       # "- 3." alone is still an empty point
        earlier = [point_key(ITEM_NUMBER.sub("", m.group(1), count=1))
                   for m in map(BULLET_LINE.match, lines[:-1]) if m]
        empty = not _LETTER.search(body) and not re.search(r"\d", body)
        first_words = not _LETTER.search(body)
        best = max(range(len(ids)), key=lambda n: logits[n])
        if ids[best] in self.stop_ids and not last and not empty:
            return self._forced(self.newline, ids, logits)   # the model would stop short: another point

        kept, ending = [], []
        for token_id, logit in zip(ids, logits):
            piece = self.piece(token_id)
            if token_id in self.stop_ids or "\n" in piece:
                head = "" if token_id in self.stop_ids else piece.split("\n", 1)[0]
                if empty and not head.strip():
                    continue                                   # an empty point does not end
                if self._copies(body + head, earlier) or point_key(body + head) in earlier:
                    continue
                if last:
                    ending.append(logit)                        # the Nth point ends the answer
                elif token_id in self.stop_ids:
                    continue
                else:
                    rest = piece.split("\n", 1)[1]
                    if rest.strip() and not rest.lstrip("\n").startswith("-"):
                        continue                                # a new line must start a bullet
                    kept.append((token_id, logit))
                continue
            if self._wrong_script(piece, first_words) or self._copies(body + piece, earlier):
                continue
            kept.append((token_id, logit))
        if not kept and not ending:
            return self._forced(self.eos if last else self.newline, ids, logits)
        return self._ending(kept, ending)

    def _paragraph(self, ids: list, logits: list, full: str) -> tuple:
        if self.style == "headline":
            over = self.words and len(full.split()) >= HEADLINE_SLACK * self.words
            done = False
        else:
            done = len(_SENTENCE_END.findall(full)) >= self.count
            over = len(_SENTENCE_END.findall(full)) == self.count - 1 and bool(_PENDING_END.search(full))
        if done:
            return self._forced(self.eos, ids, logits)
        empty = not full.strip()
        first_words = not _LETTER.search(full)
        kept, ending = [], []
        for token_id, logit in zip(ids, logits):
            piece = self.piece(token_id)
            if token_id in self.stop_ids or "\n" in piece:
                if not empty and not (token_id not in self.stop_ids and piece.split("\n", 1)[0].strip()):
                    ending.append(logit)                        # one paragraph, one line
                continue
            if over and piece[:1].isspace():
                ending.append(logit)                            # the word or sentence limit is reached
                continue
            if self._wrong_script(piece, first_words):
                continue
            kept.append((token_id, logit))
        if not kept and not ending:
            return self._forced(self.eos, ids, logits)
        return self._ending(kept, ending)


def summary_shape(tokenizer, stop_ids: Iterable[int], page, style: str, length: str) -> Optional[SummaryShape]:
    """The shape of a summary of `page` (precis.summarize.Page) in `style` and `length`."""
    from precis.grounding import PassageIndex, split_passages
    from precis.summarize import answer_prefix, page_language, shape_counts

    count, words = shape_counts(style, length)
    avoid = [page.title, page.byline] + _header_lines(page.text)
    index = PassageIndex(split_passages(page.text))
    names = lambda line: index.names_not_in_page(line, finished=True)  # noqa: E731
    return SummaryShape(tokenizer, stop_ids, style=style, count=count, words=words,
                        language=page_language(page), prefix=answer_prefix(style), avoid=avoid, page_names=names)
