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

Stop strings never reach on_text: text that could be the start of a stop string is held back
until the next tokens show it is not. The chunks passed to on_text add up to the final text,
but for "repetition": the final text then stops short of what was streamed (by the repeat).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

FINISH_REASONS = ("eos", "stop_string", "repetition", "max_tokens", "cancelled")

# next_candidates(new_token_ids) -> (candidate ids, their logits)
NextCandidates = Callable[[list], "tuple[Sequence[int], Sequence[float]]"]


@dataclass
class GenerationResult:
    """What a generation produced.

    ids: every token sampled, including the stop id or the tokens that spelled a stop string.
    text: the answer, without the stop string.
    finish_reason: one of FINISH_REASONS.
    n_prompt: prompt length in tokens; n_generated: len(ids).
    """
    ids: list
    text: str
    finish_reason: str
    n_prompt: int
    n_generated: int


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

    def __init__(self, stop_strings: Sequence[str], on_text: Optional[Callable[[str], Any]]):
        self.stop_strings = stop_strings
        self.on_text = on_text
        self.sent: list = []
        self.pending = ""
        self.taken = ""   # all the text taken so far, sent or held back (where a repeat is looked for)

    def _send(self, text: str) -> None:
        if text:
            self.sent.append(text)
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
        self._send(self.pending[:len(self.pending) - hold])
        self.pending = self.pending[len(self.pending) - hold:]
        return False

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


def generate(prompt_ids: Sequence[int], next_candidates: NextCandidates, tokenizer: Any, sampler: Any,
             max_tokens: int, stop_ids: Iterable[int] = (), stop_strings: Iterable[str] = (),
             on_text: Optional[Callable[[str], Any]] = None,
             should_stop: Optional[Callable[[], bool]] = None, repeat_stop: int = 0,
             shape: Any = None) -> GenerationResult:
    """Generate up to `max_tokens` tokens after `prompt_ids`, streaming text to on_text.
    shape: an object with adjust(ids, logits, text so far) -> (ids, logits), consulted each step."""
    stop_strings = list(stop_strings)
    _check_arguments(prompt_ids, max_tokens, stop_strings)
    stop_ids = set(stop_ids)
    prompt = list(prompt_ids)
    generated: list = []
    history = list(prompt)  # prompt + generated, grown in place (the sampler reads its tail)
    unseen = list(prompt)  # tokens the model must still read: the prompt first, then each sample
    decoder = tokenizer.stream_decoder()
    stream = _TextStream(stop_strings, on_text)
    cut = None   # where a repeat began (finish "repetition")

    finish_reason = None
    while finish_reason is None:
        if should_stop is not None and should_stop():
            finish_reason = "cancelled"
            break
        if len(generated) >= max_tokens:
            finish_reason = "max_tokens"
            break
        ids, logits = next_candidates(unseen)
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
        if stream.add(decoder.push(token)):
            finish_reason = "stop_string"
            break
        if repeat_stop > 0:
            cut = _repeat_start(stream.taken, repeat_stop)
            if cut >= 0:
                finish_reason = "repetition"

    if finish_reason == "repetition":
        return GenerationResult(ids=generated, text=stream.taken[:cut], finish_reason=finish_reason,
                                n_prompt=len(prompt), n_generated=len(generated))
    if finish_reason != "stop_string":
        # Bytes of an unfinished character, then whatever was held back for a stop string
        # (still cut at a stop string, should the flushed text complete one).
        if not stream.add(decoder.flush()):
            stream.finish()
    return GenerationResult(ids=generated, text=stream.text, finish_reason=finish_reason,
                            n_prompt=len(prompt), n_generated=len(generated))
