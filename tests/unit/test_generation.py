"""Generation loop, driven by a scripted stand-in for the model (the loop does not care where
logits come from; the real model is tested elsewhere) with the real SmolLM2 tokenizer and real
samplers, plus a one-character-per-token tokenizer for the stop-string edge cases."""

from pathlib import Path

import pytest

from precis.generation import GenerationResult, generate
from precis.gguf import open_gguf
from precis.sampler import Sampler, SamplerConfig
from precis.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]
SMOLLM2 = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
IM_END = 2  # SmolLM2's EOS, "<|im_end|>"


@pytest.fixture(scope="module")
def tok():
    return Tokenizer.from_gguf(open_gguf(SMOLLM2))


def greedy():
    return Sampler(SamplerConfig(temperature=0.0))


class ScriptedModel:
    """Answers each step with candidates whose best is the next token of `script`.

    Records what it was fed, so tests can check prefill-then-one-token feeding. Candidates are
    (best, logit 5), (best + 1, logit 1), (best + 2, logit 0): a greedy sampler follows the script.
    """

    def __init__(self, script):
        self.script = list(script)
        self.fed = []

    def __call__(self, new_token_ids):
        self.fed.append(list(new_token_ids))
        step = len(self.fed) - 1
        best = self.script[step] if step < len(self.script) else 0
        return [best + 2, best, best + 1], [0.0, 5.0, 1.0]


class CharTokenizer:
    """One token per character: id = code point. Enough for stop-string edge cases."""

    class _Stream:
        def push(self, token_id):
            return chr(token_id)

        def flush(self):
            return ""

    def encode(self, text, add_special=True):
        return [ord(c) for c in text]

    def decode(self, ids):
        return "".join(chr(i) for i in ids)

    def stream_decoder(self):
        return self._Stream()


def run(tok, script, prompt=(1, 2, 3), max_tokens=50, stop_ids=(IM_END,), stop_strings=(), **kw):
    model = ScriptedModel(script)
    chunks = []
    result = generate(list(prompt), model, tok, kw.pop("sampler", greedy()), max_tokens, stop_ids=stop_ids,
                      stop_strings=stop_strings, on_text=chunks.append, **kw)
    assert "".join(chunks) == result.text  # the stream always adds up to the final text
    return result, chunks, model


def test_eos_ends_and_is_not_in_the_text(tok):
    answer = tok.encode("Hello, world! How are you?", add_special=False)
    prompt = tok.encode("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    result, chunks, model = run(tok, answer + [IM_END, 5, 6], prompt=prompt)
    assert result == GenerationResult(ids=answer + [IM_END], text="Hello, world! How are you?",
                                      finish_reason="eos", n_prompt=len(prompt), n_generated=len(answer) + 1)
    # Prefill with the whole prompt, then each sampled token once; EOS is never fed back.
    assert model.fed == [prompt] + [[t] for t in answer]
    assert chunks == [tok.decode([t]) for t in answer]  # no stop strings: nothing is held back


def test_max_tokens(tok):
    answer = tok.encode("one two three four five six", add_special=False)
    result, _, model = run(tok, answer, max_tokens=4)
    assert result.finish_reason == "max_tokens"
    assert result.ids == answer[:4] and result.n_generated == 4
    assert result.text == tok.decode(answer[:4])
    assert len(model.fed) == 4  # the 4th token is sampled but not fed: nobody needs its logits


def test_max_tokens_zero_calls_nothing(tok):
    result, chunks, model = run(tok, [5], max_tokens=0)
    assert (result.finish_reason, result.ids, result.text, model.fed, chunks) == ("max_tokens", [], "", [], [])


def test_stop_string_across_tokens_never_reaches_the_stream(tok):
    answer = tok.encode("The answer is yes.\nUser: and now?", add_special=False)
    result, chunks, _ = run(tok, answer + [IM_END], stop_strings=["\nUser:"])
    assert result.finish_reason == "stop_string"
    assert result.text == "The answer is yes."
    assert not any("\n" in chunk for chunk in chunks)
    # It stops at the token that completed the stop string.
    stop_end = next(n for n in range(1, len(answer) + 1) if "\nUser:" in tok.decode(answer[:n]))
    assert result.ids == answer[:stop_end]


def test_stop_string_inside_one_token(tok):
    # "<|im_end|>" as plain text (not the control token), e.g. when encoded without special splitting.
    ids = tok.encode("Done", add_special=False) + [IM_END]
    result, _, _ = run(tok, ids, stop_ids=(), stop_strings=["<|im_end|>"])
    assert (result.finish_reason, result.text, result.ids) == ("stop_string", "Done", ids)


def test_earliest_of_several_stop_strings_wins():
    tok = CharTokenizer()
    script = tok.encode("abc END xyz STOP")
    result, _, _ = run(tok, script, stop_ids=(), stop_strings=["STOP", " END"])
    assert (result.finish_reason, result.text) == ("stop_string", "abc")


def test_held_text_is_released_once_it_cannot_be_a_stop():
    tok = CharTokenizer()
    result, chunks, _ = run(tok, tok.encode("a<|im_x b"), max_tokens=9, stop_ids=(), stop_strings=["<|im_end|>"])
    # '<', '|', 'i', 'm', '_' are held (a stop string could be starting), released at 'x'.
    assert chunks == ["a", "<|im_x", " ", "b"]
    assert (result.finish_reason, result.text) == ("max_tokens", "a<|im_x b")


def test_held_text_is_kept_when_generation_ends_on_eos():
    tok = CharTokenizer()
    result, chunks, _ = run(tok, tok.encode("x <|im") + [0], stop_ids=(0,), stop_strings=["<|im_end|>"])
    assert (result.finish_reason, result.text, chunks) == ("eos", "x <|im", ["x", " ", "<|im"])


def test_stop_string_overlapping_its_own_prefix():
    tok = CharTokenizer()
    # "aab" holds "a", then "aa" (could be "aab"'s start), and completes on "b".
    result, chunks, _ = run(tok, tok.encode("xaaab!"), stop_ids=(), stop_strings=["aab"])
    assert (result.finish_reason, result.text, chunks) == ("stop_string", "xa", ["x", "a"])


def test_split_utf8_character_streams_whole(tok):
    text = "日本語とカタカナ"
    ids = tok.encode(text, add_special=False)
    assert any(tok.decode([t]) != "" and "\ufffd" in tok.decode([t]) for t in ids)  # really split
    result, chunks, _ = run(tok, ids + [IM_END])
    assert result.text == text
    assert not any("\ufffd" in chunk for chunk in chunks)


def test_incomplete_character_at_the_end_is_flushed(tok):
    ids = tok.encode("日", add_special=False)
    assert len(ids) > 1
    result, chunks, _ = run(tok, ids[:-1] + [IM_END])
    assert result.finish_reason == "eos" and result.text == "\ufffd"


def test_cancellation_is_checked_every_step(tok):
    answer = tok.encode("a b c d e f g", add_special=False)
    checks = []

    def should_stop():
        checks.append(1)
        return len(checks) > 3  # allow 3 steps

    result, _, model = run(tok, answer, should_stop=should_stop)
    assert result.finish_reason == "cancelled"
    assert result.ids == answer[:3] and len(model.fed) == 3
    assert result.text == tok.decode(answer[:3])


def test_cancelled_before_the_first_step(tok):
    result, _, model = run(tok, [5, 6], should_stop=lambda: True)
    assert (result.finish_reason, result.ids, model.fed, result.n_prompt) == ("cancelled", [], [], 3)


def test_penalties_see_the_prompt(tok):
    # Candidates 100 (logit 5) vs 101 (logit 1) vs 102 (logit 0); 100 is in the prompt, and a
    # repetition penalty of 10 brings it to 0.5 < 1, so 101 wins.
    sampler = Sampler(SamplerConfig(temperature=0.0, repetition_penalty=10.0))
    result, _, _ = run(tok, [100], prompt=[7, 100], max_tokens=1, sampler=sampler)
    assert result.ids == [101]


def test_seeded_sampling_reproduces_a_generation(tok):
    def once(seed):
        sampler = Sampler(SamplerConfig(temperature=1.5, top_k=0, top_p=1.0, min_p=0.0, seed=seed))
        return run(tok, list(range(500, 540)), max_tokens=30, sampler=sampler)[0]

    a, b, c = once(11), once(11), once(12)
    assert a.ids == b.ids and a.text == b.text
    assert a.ids != c.ids


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(prompt_ids=[]), "prompt"),
    (dict(prompt_ids="hello"), "prompt"),
    (dict(max_tokens=-1), "max_tokens"),
    (dict(max_tokens=2.0), "max_tokens"),
    (dict(stop_strings=[""]), "stop strings"),
])
def test_bad_arguments_are_clear_errors(tok, kwargs, fragment):
    args = dict(prompt_ids=[1], next_candidates=ScriptedModel([5]), tokenizer=tok, sampler=greedy(),
                max_tokens=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=fragment):
        generate(**args)


# ---- a model going round a loop -------------------------------------------------------------------------

def _loop_run(tok, script, repeat_stop, **kw):
    model = ScriptedModel(script)
    chunks = []
    result = generate([1, 2, 3], model, tok, greedy(), 200, stop_ids=(IM_END,), on_text=chunks.append,
                      repeat_stop=repeat_stop, **kw)
    return result, "".join(chunks)


def test_repeated_text_ends_the_answer_where_the_repeat_began():
    tok = CharTokenizer()
    sentence = [ord(c) for c in " The bridge reopened."]    # 21 tokens
    script = [ord(c) for c in "Intro:"] + sentence + sentence + sentence + [IM_END]
    result, streamed = _loop_run(tok, script, repeat_stop=8)
    # The 8th character of the second copy makes 8 bytes already written: the answer stops, cut where it began.
    assert result.finish_reason == "repetition"
    assert result.n_generated == 6 + 21 + 8
    assert result.text == "Intro: The bridge reopened."
    assert streamed == "Intro: The bridge reopened. The bri"   # what had streamed; the panel shows result.text
    # Off (0), or a window longer than any repeat (three copies of 21 repeat runs of up to 42): to the end.
    for off in (0, 43):
        result, _ = _loop_run(tok, script, repeat_stop=off)
        assert (result.finish_reason, result.text) == ("eos", "Intro:" + " The bridge reopened." * 3)
    assert _loop_run(tok, script, repeat_stop=42)[0].finish_reason == "repetition"


def test_a_short_loop_is_caught_and_shared_beginnings_are_not():
    tok = CharTokenizer()
    # Points that only start alike ("\n- The bridge ", 14 bytes) are no loop at 16.
    points = [ord(c) for c in "- The bridge reopened.\n- The bridge cost 3 million.\n"]
    result, _ = _loop_run(tok, points + [IM_END], repeat_stop=16)
    assert result.finish_reason == "eos" and result.text == "- The bridge reopened.\n- The bridge cost 3 million.\n"
    # A period shorter than the window: "ab" over and over is caught once 16 bytes of it repeat.
    result, _ = _loop_run(tok, [ord(c) for c in "x" + "ab" * 40], repeat_stop=16)
    assert result.finish_reason == "repetition" and result.text == "xab"
    assert result.n_generated == 1 + 2 + 16


def test_a_repeat_in_other_tokens_is_caught_and_cut_where_the_copies_part(tok):
    # Real tokenizer. The repeat is seen in the text: the second copy spelled in other tokens (as the
    # repetition penalty makes a model do) is caught as well. The cut is where the copies part: after "2".
    first = tok.encode("- 1. The stone bridge over the Vell river reopened on the first of October.", add_special=False)
    second = tok.encode("\n- 2. The stone bridge over the Vell river reopened on the first of October.",
                        add_special=False)
    result, _ = _loop_run(tok, first + second + second, repeat_stop=10)
    assert result.finish_reason == "repetition"
    assert result.text == "- 1. The stone bridge over the Vell river reopened on the first of October.\n- 2"
    # " stone" spelled " st" + "one": not the ids of the first copy, the same text.
    respelled = tok.encode("\n- 2. The", add_special=False) + tok.encode(" st", add_special=False) + \
        tok.encode("one bridge over the Vell river reopened on the first of October.", add_special=False)
    assert tok.encode(" st", add_special=False) + tok.encode("one", add_special=False) != \
        tok.encode(" stone", add_special=False)
    result, _ = _loop_run(tok, first + respelled, repeat_stop=24)
    assert result.finish_reason == "repetition"
    assert result.text == "- 1. The stone bridge over the Vell river reopened on the first of October.\n- 2"
    # Chinese: bytes, so ~a third as many characters make the window.
    zh = tok.encode("石桥于十月一日重新开放。", add_special=False)
    result, _ = _loop_run(tok, zh + zh + zh, repeat_stop=24)
    assert result.finish_reason == "repetition" and result.text == "石桥于十月一日重新开放。"


# ---- taking back (step 8) -------------------------------------------------------------------------------------

class CachedModel:
    """Candidates from the last token the cache holds (`table`: token -> [(id, logit)], best first), with a
    cache that forget() cuts, as the engine's does: records each feed as (position, ids) and each forget."""

    def __init__(self, table, default):
        self.table, self.default = table, default
        self.cache, self.feeds, self.forgets = [], [], []

    def __call__(self, unseen):
        self.feeds.append((len(self.cache), list(unseen)))
        self.cache.extend(unseen)
        pairs = self.table.get(self.cache[-1], self.default)
        return [i for i, _ in pairs], [x for _, x in pairs]

    def forget(self, keep):
        self.forgets.append(keep)
        del self.cache[keep:]


class NameShape:
    """A shape that takes back from any of `names` once something follows it (what SummaryShape does with
    the page's names), and otherwise keeps every candidate."""
    TAKE_BACK_CHARS = 24

    def __init__(self, *names):
        self.names = names

    def adjust(self, ids, logits, text):
        return ids, logits

    def take_back(self, text):
        line = text.rfind("\n") + 1
        found = [text.find(name, line) for name in self.names if text.find(name, line) >= 0]
        found = [at for at in found if at + len(self.names[0]) < len(text)]
        return min(found) if found else -1


def test_a_name_taken_back_is_drawn_again_without_its_first_token(tok):
    hi, bob, tom, and_, ann = [tok.encode(p, add_special=False)[0] for p in ("Hi", " Bob", " Tom", " and", " Ann")]
    model = CachedModel({3: [(hi, 5.0)], hi: [(bob, 5.0), (tom, 1.0)], bob: [(and_, 5.0)], tom: [(and_, 5.0)],
                         and_: [(ann, 5.0)], ann: [(IM_END, 5.0)]}, [(IM_END, 5.0)])
    chunks = []
    result = generate([1, 2, 3], model, tok, greedy(), 20, stop_ids=(IM_END,), on_text=chunks.append,
                      shape=NameShape(" Bob"), forget=model.forget)
    assert result.text == "Hi Tom and Ann" and result.ids == [hi, tom, and_, ann, IM_END]
    assert result.taken_back == 1 and result.n_generated == 5
    # " Bob" and " and" were fed at positions 4 and 5; the cache kept 4 (prompt, "Hi") and " Tom" went to 4.
    assert model.feeds == [(0, [1, 2, 3]), (3, [hi]), (4, [bob]), (4, [tom]), (5, [and_]), (6, [ann])]
    assert model.forgets == [4]
    assert "Bob" not in "".join(chunks) and "".join(chunks) == result.text   # never shown, then taken back


def test_nothing_is_taken_back_without_forget_or_once_shown(tok):
    hi, bob, tom, nl = [tok.encode(p, add_special=False)[0] for p in ("Hi", " Bob", " Tom", "\n")]
    table = {3: [(hi, 5.0)], hi: [(bob, 5.0), (tom, 1.0)], bob: [(nl, 5.0)], nl: [(hi, 5.0)]}
    model = CachedModel(table, [(IM_END, 5.0)])
    result = generate([1, 2, 3], model, tok, greedy(), 3, stop_ids=(IM_END,), shape=NameShape(" Bob"))
    assert result.text == "Hi Bob\n" and result.taken_back == 0
    # A name in a line already ended (and so shown) stays: only the current line is held back.
    shape = NameShape(" Bob")
    shape.take_back = lambda text: text.find(" Bob") if "\n" in text else -1
    model = CachedModel(table, [(IM_END, 5.0)])
    chunks = []
    result = generate([1, 2, 3], model, tok, greedy(), 4, stop_ids=(IM_END,), on_text=chunks.append,
                      shape=shape, forget=model.forget)
    assert result.text == "Hi Bob\nHi" and result.taken_back == 0 and model.forgets == []


def test_take_backs_are_bounded(tok):
    """A shape that takes back every word still ends: MAX_TAKE_BACKS, then the answer runs on as drawn."""
    from precis.generation import MAX_TAKE_BACKS

    words = [tok.encode(p, add_special=False)[0] for p in (" one", " two", " three", " four", " five", " six",
                                                           " seven", " eight", " nine", " ten", " red")]
    model = CachedModel({}, [(w, 5.0 - n / 10) for n, w in enumerate(words)])
    shape = NameShape()
    shape.take_back = lambda text: 0 if len(text) > 4 and text.count(" ") >= 2 else -1
    result = generate([1, 2, 3], model, tok, greedy(), 6, stop_ids=(IM_END,), shape=shape, forget=model.forget)
    assert result.taken_back == MAX_TAKE_BACKS == 8
    assert result.n_generated == 6 and result.finish_reason == "max_tokens"


def test_a_name_whose_first_character_spans_tokens_is_taken_back_from_the_token_that_began_it(tok):
    """SmolLM2 spells " 斯" as b' \\xe6', b'\\x96', b'\\xaf': the character shows only with the third token, but
    the choice was the first one's; "维" begins with another token (b' ', then b'\\xe7\\xbb', b'\\xb4')."""
    si, si2, si3 = tok.encode(" 斯", add_special=False)
    space, wei, wei2 = tok.encode(" 维", add_special=False)
    he = tok.encode("河", add_special=False)
    shi = tok.encode("是", add_special=False)
    assert len(he) == 3 and len(shi) == 1
    table = {3: [(si, 5.0), (space, 1.0)], si: [(si2, 5.0)], si2: [(si3, 5.0)], si3: [(he[0], 5.0)],
             space: [(wei, 5.0)], wei: [(wei2, 5.0)], wei2: [(he[0], 5.0)],
             he[0]: [(he[1], 5.0)], he[1]: [(he[2], 5.0)], he[2]: [(shi[0], 5.0)]}
    model = CachedModel(table, [(IM_END, 5.0)])
    chunks = []
    result = generate([1, 2, 3], model, tok, greedy(), 20, stop_ids=(IM_END,), on_text=chunks.append,
                      shape=NameShape("斯河"), forget=model.forget)
    assert result.text == " 维河是" and result.taken_back == 1
    assert result.ids == [space, wei, wei2] + he + shi + [IM_END]
    assert model.forgets == [3] and model.feeds[7] == (3, [space])
    assert "斯" not in "".join(chunks)
