"""Generation loop: prompt ids in, streamed text out. Knows nothing about where logits come from.

Each step:
  1. should_stop()? -> finish "cancelled"
  2. next_candidates(tokens the model has not seen yet) -> (ids, logits) for the next position.
     The first call gets the whole prompt (prefill), later calls the one token sampled last.
  3. (shape) the constraint narrows the candidates (precis.summary_shape: the summary's count,
     language, no repeats), then the sampler picks a token; a stop id (EOS, end of turn) -> finish "eos"
  4. the tokenizer's stream decoder turns the token into text (possibly '' while a UTF-8
     character is incomplete)
  5. a stop string in the text -> finish "stop_string"; the text before it is the answer
  6. (repeat_stop = N > 0) the answer's last N bytes of text (UTF-8: ~N letters of English, ~N/3
     Chinese characters) already came earlier in it -> finish "repetition": the model is going
     round a loop (small models do, copying a sentence again and again, in other tokens each time
     once the repetition penalty bites: so text, not token ids); the answer ends where the repeat
     began
  7. max_tokens generated -> finish "max_tokens"
  8. (shape with take_back, and `forget` given) the shape says where the answer must be taken back
     from (a name the page never uses, precis.summary_shape): the token that began it is undone and
     banned after the same tokens, the model's cache forgets what followed (forget(n): keep n tokens, prompt
     included), and that step is drawn again from its candidates. At most MAX_TAKE_BACKS per answer;
     text still in the current line is held back (up to shape.TAKE_BACK_CHARS characters) so that
     nothing taken back was ever streamed

Stop strings never reach on_text: text that could be the start of a stop string is held back
until the next tokens show it is not. The chunks passed to on_text add up to the final text,
but for "repetition": the final text then stops short of what was streamed (by the repeat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

FINISH_REASONS = ("eos", "stop_string", "repetition", "max_tokens", "cancelled")

# Take-backs per answer: each re-draws at most a few tokens, so the time a bad answer adds is bounded.
MAX_TAKE_BACKS = 8

# next_candidates(new_token_ids) -> (candidate ids, their logits)
NextCandidates = Callable[[list], "tuple[Sequence[int], Sequence[float]]"]


@dataclass
class GenerationResult:
    """What a generation produced.

    ids: every token sampled, including the stop id or the tokens that spelled a stop string.
    text: the answer, without the stop string.
    finish_reason: one of FINISH_REASONS.
    n_prompt: prompt length in tokens; n_generated: len(ids).
    taken_back: how many times the shape took the answer back (step 8).
    """
    ids: list
    text: str
    finish_reason: str
    n_prompt: int
    n_generated: int
    taken_back: int = 0


def _held_back_length(text: str, stop_strings: Sequence[str]) -> int:
    """Length of the longest end of `text` that is the start of some stop string."""
    longest = 0
    for stop in stop_strings:
        for n in range(min(len(stop) - 1, len(text)), longest, -1):
            if text.endswith(stop[:n]):
                longest = n
                break
    return longest


def _first_stop(text: str, stop_strings: Sequence[str]) -> int:
    """Index of the earliest stop string in `text`, or -1."""
    found = [i for i in (text.find(stop) for stop in stop_strings) if i >= 0]
    return min(found) if found else -1


class _TextStream:
    """Text not yet sent to on_text, held while it could still turn into a stop string."""

    def __init__(self, stop_strings: Sequence[str], on_text: Optional[Callable[[str], Any]], hold_line: int = 0):
        self.stop_strings = stop_strings
        self.on_text = on_text
        self.hold_line = hold_line   # the current line's last characters are held (they may be taken back)
        self.sent: list = []
        self.sent_chars = 0
        self.pending = ""
        self.taken = ""   # all the text taken so far, sent or held back (where a repeat is looked for)

    def _send(self, text: str) -> None:
        if text:
            self.sent.append(text)
            self.sent_chars += len(text)
            if self.on_text is not None:
                self.on_text(text)

    def add(self, text: str) -> bool:
        """Take new text; send what is safe. True when a stop string has appeared."""
        self.taken += text
        self.pending += text
        stop_at = _first_stop(self.pending, self.stop_strings)
        if stop_at >= 0:
            self._send(self.pending[:stop_at])
            self.pending = ""
            return True
        hold = _held_back_length(self.pending, self.stop_strings)
        if self.hold_line:
            line = len(self.pending) - self.pending.rfind("\n") - 1
            hold = max(hold, min(self.hold_line, line))
        self._send(self.pending[:len(self.pending) - hold])
        self.pending = self.pending[len(self.pending) - hold:]
        return False

    def take_back(self, length: int) -> None:
        """The answer is again its first `length` characters (none of those dropped was sent)."""
        if length < self.sent_chars:
            raise ValueError("text already streamed cannot be taken back")
        self.taken = self.taken[:length]
        self.pending = self.pending[:length - self.sent_chars]

    def finish(self) -> None:
        """Generation ended without a stop string: what was held back is part of the answer."""
        self._send(self.pending)
        self.pending = ""

    @property
    def text(self) -> str:
        return "".join(self.sent)


def _repeat_start(text: str, min_bytes: int) -> int:
    """Where a repeat at the end of `text` began, or -1: its last `min_bytes` bytes already came
    earlier in it. The repeat is followed back as far as it goes (to where the copies differ)."""
    start, size = len(text), 0
    while start > 0 and size < min_bytes:
        start -= 1
        size += len(text[start].encode("utf-8", "surrogatepass"))
    if size < min_bytes:
        return -1
    earlier = text.find(text[start:], 0, len(text) - 1)
    if earlier < 0 or earlier >= start:
        return -1
    while earlier > 0 and text[start - 1] == text[earlier - 1]:
        start, earlier = start - 1, earlier - 1
    return start


def _check_arguments(prompt_ids, max_tokens, stop_strings) -> None:
    if isinstance(prompt_ids, (str, bytes)) or not isinstance(prompt_ids, Sequence) or not prompt_ids:
        raise ValueError("generate needs a non-empty list of prompt token ids")
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 0:
        raise ValueError(f"max_tokens must be an integer >= 0, got {max_tokens!r}")
    for stop in stop_strings:
        if not isinstance(stop, str) or not stop:
            raise ValueError(f"stop strings must be non-empty strings, got {stop!r}")


def _take_back_step(shape: Any, starts: list, candidates: list, generated: list, banned: dict,
                    stream: _TextStream) -> int:
    """The step to draw again for what shape.take_back() names, or -1: none named, or it began in text
    already streamed, or that step has no other candidate left. starts[n]: (where step n's text begins in
    the answer, whether a character begun before it was still unfinished)."""
    at = shape.take_back(stream.taken)
    if at < stream.sent_chars:
        return -1
    # The step that began the character at `at`: the last to start at or before it with no character open.
    back = max((n for n, (start, open_char) in enumerate(starts) if start <= at and not open_char), default=-1)
    if back < 0 or starts[back][0] < stream.sent_chars:
        return -1
    left = banned.get(tuple(generated[:back]), set()) | {generated[back]}
    return back if any(i not in left for i in candidates[back][0]) else -1


def generate(prompt_ids: Sequence[int], next_candidates: NextCandidates, tokenizer: Any, sampler: Any,
             max_tokens: int, stop_ids: Iterable[int] = (), stop_strings: Iterable[str] = (),
             on_text: Optional[Callable[[str], Any]] = None,
             should_stop: Optional[Callable[[], bool]] = None, repeat_stop: int = 0,
             shape: Any = None, forget: Optional[Callable[[int], Any]] = None) -> GenerationResult:
    """Generate up to `max_tokens` tokens after `prompt_ids`, streaming text to on_text.
    shape: an object with adjust(ids, logits, text so far) -> (ids, logits), consulted each step, and
    optionally take_back(text so far) -> the offset to take the answer back from, or -1 (step 8).
    forget(n): the model's cache keeps its first n tokens; without it nothing is taken back. Taking back
    reads the stream decoder's `pending` (a character begun, not finished: its first token made the choice)."""
    stop_strings = list(stop_strings)
    _check_arguments(prompt_ids, max_tokens, stop_strings)
    stop_ids = set(stop_ids)
    prompt = list(prompt_ids)
    generated: list = []
    history = list(prompt)  # prompt + generated, grown in place (the sampler reads its tail)
    unseen = list(prompt)  # tokens the model must still read: the prompt first, then each sample
    decoder = tokenizer.stream_decoder()
    takes_back = forget is not None and callable(getattr(shape, "take_back", None))
    stream = _TextStream(stop_strings, on_text, hold_line=shape.TAKE_BACK_CHARS if takes_back else 0)
    cut = None   # where a repeat began (finish "repetition")
    candidates: list = []   # each step's candidates as the model gave them (a taken-back step is drawn again)
    starts: list = []       # each step's (start in the answer, a character left unfinished before it)
    banned: dict = {}       # the tokens before a step -> ids taken back there (so a ban holds only where it was made)
    take_backs = 0

    finish_reason = None
    while finish_reason is None:
        if should_stop is not None and should_stop():
            finish_reason = "cancelled"
            break
        if len(generated) >= max_tokens:
            finish_reason = "max_tokens"
            break
        step = len(generated)
        if step < len(candidates):
            ids, logits = candidates[step]          # drawn again after a take-back
        else:
            ids, logits = next_candidates(unseen)
            candidates.append((ids, logits))
        ban = banned.get(tuple(generated)) if banned else None
        if ban:
            kept = [(i, x) for i, x in zip(ids, logits) if i not in ban]
            ids, logits = [i for i, _ in kept], [x for _, x in kept]
        if shape is not None:
            ids, logits = shape.adjust(ids, logits, stream.taken)
        # Penalties look at the prompt too, as llama.cpp and transformers do.
        token = sampler.sample(ids, logits, history)
        generated.append(token)
        history.append(token)
        unseen = [token]
        if token in stop_ids:
            finish_reason = "eos"  # its text (e.g. "<|im_end|>") is not part of the answer
            break
        if takes_back:
            starts.append((len(stream.taken), decoder.pending))
        if stream.add(decoder.push(token)):
            finish_reason = "stop_string"
            break
        if takes_back and take_backs < MAX_TAKE_BACKS:
            back = _take_back_step(shape, starts, candidates, generated, banned, stream)
            if back >= 0:
                take_backs += 1
                banned.setdefault(tuple(generated[:back]), set()).add(generated[back])
                stream.take_back(starts[back][0])
                del generated[back:], history[len(prompt) + back:], candidates[back + 1:], starts[back:]
                decoder = tokenizer.stream_decoder()
                for t in generated:
                    decoder.push(t)      # its state as it was before that step (no character open there)
                forget(len(prompt) + back)
                unseen = []
                continue
        if repeat_stop > 0:
            cut = _repeat_start(stream.taken, repeat_stop)
            if cut >= 0:
                finish_reason = "repetition"

    if finish_reason == "repetition":
        return GenerationResult(ids=generated, text=stream.taken[:cut], finish_reason=finish_reason,
                                n_prompt=len(prompt), n_generated=len(generated), taken_back=take_backs)
    if finish_reason != "stop_string":
        # Bytes of an unfinished character, then whatever was held back for a stop string
        # (still cut at a stop string, should the flushed text complete one).
        if not stream.add(decoder.flush()):
            stream.finish()
    return GenerationResult(ids=generated, text=stream.text, finish_reason=finish_reason,
                            n_prompt=len(prompt), n_generated=len(generated), taken_back=take_backs)
