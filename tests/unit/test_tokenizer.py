"""precis.tokenizer against Hugging Face `tokenizers`, on a multilingual corpus, for both models.

The references are `tokenizers.Tokenizer`s built here from the same GGUF metadata, the way
each model's own tokenizer.json is made (no transformers, so no torch needed):
- SmolLM2: byte-level BPE with the GGUF's merges; pre-tokenizer Digits(individual_digits=True)
  then ByteLevel (the GPT-2 regex). The Digits step is SmolLM2's original rule (every numeric
  character on its own, any script), which llama.cpp applies for pre "smollm" too; the
  tokenizer.json that transformers builds from a GGUF lacks it, so we do not use that one.
- Gemma 3: SentencePiece BPE as `tokenizers` runs it: normalizer Replace(" ", "▁"), no
  pre-tokenizer, byte fallback, and merges derived from the scores (every split a+b of a
  normal token, ranked by that token's score). Control and user-defined tokens (Gemma's
  space/newline/tab runs, HTML tags) are added tokens matched in the raw text.
"""

import json
import random
import subprocess
import sys
import types
from pathlib import Path

import pytest

from precis import bpe_merge, pretokenize
from precis.tokenizer import Tokenizer, TokenizerError

import tokenizers  # a test dependency (pyproject [test]): the oracle
from tokenizers import AddedToken, Regex, decoders, models, normalizers, pre_tokenizers

CORPUS_PATH = Path(__file__).resolve().parents[1] / "data" / "tokenizer_corpus.json"
CORPUS = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))

CONTROL, USER_DEFINED, NORMAL = 3, 4, 1

# The split rules as the regexes of the models' tokenizer.json files (oracles for the scanners).
GPT2_REGEX = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_REGEX = LLAMA3_REGEX.replace(r"\p{N}{1,3}", r"\p{N}")
GPT4O_REGEX = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
               r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
               r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")


# ---- references ----

def build_hf_byte_level(gguf, *, smollm_digits: bool = True):
    md = gguf.metadata
    tokens, types_ = md["tokenizer.ggml.tokens"], md["tokenizer.ggml.token_type"]
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = [tuple(m.split(" ")) for m in md["tokenizer.ggml.merges"]]
    hf = tokenizers.Tokenizer(models.BPE(vocab, merges))
    steps = [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    if smollm_digits:
        steps.insert(0, pre_tokenizers.Digits(individual_digits=True))
    hf.pre_tokenizer = pre_tokenizers.Sequence(steps)
    hf.decoder = decoders.ByteLevel()
    hf.add_special_tokens([AddedToken(t, special=ty == CONTROL, normalized=False)
                           for t, ty in zip(tokens, types_) if ty in (CONTROL, USER_DEFINED)])
    return hf


def build_hf_sentencepiece(gguf):
    md = gguf.metadata
    tokens, types_, scores = (md["tokenizer.ggml.tokens"], md["tokenizer.ggml.token_type"],
                              md["tokenizer.ggml.scores"])
    vocab = {t: i for i, t in enumerate(tokens)}
    ranked = []
    for t, ty, score in zip(tokens, types_, scores):
        if ty != NORMAL or len(t) < 2:
            continue
        for k in range(1, len(t)):
            left, right = t[:k], t[k:]
            if left in vocab and right in vocab:
                ranked.append((-score, vocab[left], vocab[right], left, right))
    ranked.sort()
    hf = tokenizers.Tokenizer(models.BPE(vocab, [(a, b) for *_, a, b in ranked],
                                         unk_token=tokens[md["tokenizer.ggml.unknown_token_id"]],
                                         byte_fallback=True, fuse_unk=True))
    hf.normalizer = normalizers.Replace(" ", "▁")
    hf.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse()])
    hf.add_special_tokens([AddedToken(t, special=ty == CONTROL, normalized=False)
                           for t, ty in zip(tokens, types_) if ty in (CONTROL, USER_DEFINED)])
    return hf


@pytest.fixture(scope="session")
def smollm2_tok(smollm2_gguf):
    return Tokenizer.from_gguf(smollm2_gguf)


@pytest.fixture(scope="session")
def gemma3_tok(gemma3_gguf):
    return Tokenizer.from_gguf(gemma3_gguf)


@pytest.fixture(scope="session")
def smollm2_hf(smollm2_gguf):
    return build_hf_byte_level(smollm2_gguf)


@pytest.fixture(scope="session")
def gemma3_hf(gemma3_gguf):
    return build_hf_sentencepiece(gemma3_gguf)


@pytest.fixture(params=["smollm2", "gemma3"])
def pair(request):
    """(ours, reference) for each model."""
    return request.getfixturevalue(f"{request.param}_tok"), request.getfixturevalue(f"{request.param}_hf")


# ---- ids equal the reference ----

def test_corpus_is_broad():
    assert len(CORPUS) >= 60 and "" in CORPUS
    joined = "".join(CORPUS)
    for needle in ("你好", "日本語", "مرحبا", "नमस्ते", "\t", "👨‍👩‍👧‍👦", "٢٠", "e\u0301", "<|im_start|>", "   \n"):
        assert needle in joined, needle


def test_ids_equal_reference_on_corpus(pair):
    ours, hf = pair
    mismatches = []
    for text in CORPUS:
        got = ours.encode(text, add_special=False)
        want = hf.encode(text, add_special_tokens=False).ids
        if got != want:
            mismatches.append((text, got, want))
    assert not mismatches, f"{len(mismatches)} strings differ; first: {mismatches[0]}"


def test_ids_equal_reference_on_random_mixtures(pair):
    """Seeded random strings from the awkward pieces: apostrophes, numerals of any script,
    whitespace kinds (incl. U+0085, U+00A0, U+3000, and U+001C which is not \\s), combining
    marks, ZWJ, special tokens and Gemma's space/newline/tab/HTML tokens, glued at random."""
    import random
    rng = random.Random(20261127)
    alphabet = list(" \t\n\r'sStTreRE0123456789٢٠½²Ⅻ①abcXYZé\u0301你好ひカ🙂\u200d👨🏽.,;:!?-_=<>|/\\\""
                    "\u00a0\u3000\u2003\x85\x1c") + ["<|im_start|>", "<end_of_turn>", "  ", "\n\n", "<b>", "> </"]
    ours, hf = pair
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert ours.encode(text, add_special=False) == hf.encode(text, add_special_tokens=False).ids, repr(text)


@pytest.mark.parametrize("length", [200, 3000])
def test_long_words_equal_reference(pair, length):
    """Words past bpe_merge.SCAN_LIMIT take the heap path: a base64 blob, a run of '='."""
    ours, hf = pair
    blob = "".join("QmFzZTY0IGlzIGEgZ3JvdXAgb2YgYmluYXJ5LXRvLXRleHQ="[i % 47] for i in range(length))
    for text in (blob, "=" * length, "a" * length, " ".join([blob] * 3)):
        assert ours.encode(text, add_special=False) == hf.encode(text, add_special_tokens=False).ids


def test_heap_and_scan_merges_agree(smollm2_tok):
    from precis import byte_level
    word = byte_level.text_to_symbols("internationalization, supercalifragilistic " * 3)
    scan = bpe_merge._merge_scan(list(word), smollm2_tok._ranks, " ")
    heap = bpe_merge._merge_heap(list(word), smollm2_tok._ranks, " ")
    assert scan == heap and len(scan) < len(word) / 2


def test_merge_ranks_reuse_the_gguf_lines(smollm2_gguf):
    # The ranks are keyed by the GGUF's own "left right" strings, not copies: a (left, right) key cost Qwen's
    # 151k merges about 17 MiB more of the browser's heap. Rank = the line's number, the first one on a repeat.
    merges = smollm2_gguf.metadata["tokenizer.ggml.merges"]
    tok = Tokenizer.from_gguf(smollm2_gguf)
    first = {}
    for rank, line in enumerate(merges):
        first.setdefault(line, rank)
    assert tok._ranks == first and len(first) > 40_000
    own = {id(line) for line in merges}
    assert all(id(key) in own for key in tok._ranks)


def test_chat_prompt_exact_ids(smollm2_tok):
    # <|im_start|> is one id (1), not "<", "|", "im", ...
    assert smollm2_tok.encode("<|im_start|>user\nHello<|im_end|>") == [1, 4093, 198, 19556, 2]
    assert smollm2_tok.encode("Hello world") == [19556, 905]


def test_smollm_splits_every_numeral(smollm2_tok, smollm2_gguf, smollm2_hf):
    """Arabic-Indic, fractions, superscripts, Roman numerals: one piece per character, as
    llama.cpp and the original SmolLM2 tokenizer do. Without the Digits step the reference
    would join them (which is why the reference needs it)."""
    assert pretokenize.split_smollm("x ٢٠ ½ ²³ Ⅻ 1234") == [
        "x", " ", "٢", "٠", " ", "½", " ", "²", "³", " ", "Ⅻ", " ", "1", "2", "3", "4"]
    text = "Arabic ٢٠ and ²³"
    no_digits_rule = build_hf_byte_level(smollm2_gguf, smollm_digits=False)
    assert no_digits_rule.encode(text).ids != smollm2_hf.encode(text).ids
    assert smollm2_tok.encode(text) == smollm2_hf.encode(text).ids


@pytest.mark.parametrize("name, ours, regex", [
    ("gpt-2", pretokenize.split_gpt2, GPT2_REGEX),
    ("llama-bpe", pretokenize.split_llama3, LLAMA3_REGEX),
    ("qwen2", pretokenize.split_qwen2, QWEN2_REGEX),
    ("gpt-4o", pretokenize.split_gpt4o, GPT4O_REGEX),
])
def test_pretokenizer_scanner_equals_regex(name, ours, regex):
    split = pre_tokenizers.Split(Regex(regex), behavior="isolated")
    extra = ["don'T WE'LL 'Re", "x\u00a0\u00a0y \x85z \x1c\x1c w", "a\r\n\r\n  \n b", "  ?!\n\nx", "1234567 ١٢٣٤",
             "x'\u017fx '\u017fre"]  # (?i) folds U+017F LONG S to s
    for text in CORPUS + extra:
        assert ours(text) == [piece for piece, _ in split.pre_tokenize_str(text)], (name, text)


def hf_pieces(regex, text):
    return [piece for piece, _ in pre_tokenizers.Split(Regex(regex), behavior="isolated").pre_tokenize_str(text)]


GPT4O_CASES = {
    # Case transitions: the upper class run gives back letters until a lowercase part matches.
    "HTMLParser": ["HTMLParser"],
    "iPhone": ["i", "Phone"],
    "McDonald's": ["Mc", "Donald's"],
    "ABCdef": ["ABCdef"],
    "ǅemal": ["ǅemal"],  # titlecase ǅ is in the upper class only
    "ǅǄǆ": ["ǅǄǆ"],
    "ÉCOLE": ["ÉCOLE"],
    # Marks are letters here, in both classes (so is Lm/Lo): the + part may be one of them.
    "e\u0301": ["e\u0301"],
    "A\u0301B": ["A\u0301", "B"],
    "ʰA": ["ʰ", "A"],
    "Aʰb": ["Aʰb"],
    "हिन्दी": ["हिन्दी"],
    "ภาษาไทย ไทย": ["ภาษาไทย", " ไทย"],
    "مَرْحَبًا بِكُمْ": ["مَرْحَبًا", " بِكُمْ"],
    # A leading mark: first as the optional leading character, then as the word's first letter,
    # whose first alternative (the mark alone) comes before the second one with the mark in front.
    "\u0301AB!": ["\u0301", "AB", "!"],
    "  \u0301": [" ", " \u0301"],
    "中文网页摘要，中文": ["中文网页摘要", "，中文"],
    "カーソルーA": ["カーソルー", "A"],
    "한국어 텍스트": ["한국어", " 텍스트"],
    # Contractions: an optional suffix of a word, any case, never a piece of their own.
    "DON'T": ["DON'T"],
    "we'RE": ["we'RE"],
    "it's'": ["it's", "'"],
    "'s 're": ["'s", " '", "re"],
    "x'\u017fx": ["x'\u017f", "x"],
    "12345": ["123", "45"],
    # Punctuation takes the newlines and slashes after it.
    "a//b\n": ["a", "//", "b", "\n"],
    "https://x.org/a/b": ["https", "://", "x", ".org", "/a", "/b"],
    "!\n//\nx": ["!\n//\n", "x"],
    "a \n\n  b": ["a", " \n\n", " ", " b"],
    "\u3000x": ["\u3000x"],
}


@pytest.mark.parametrize("text", list(GPT4O_CASES))
def test_gpt4o_pretokenizer_cases(text):
    """What is new in the o200k rule, against the regex and spelled out (the regex's pieces)."""
    assert pretokenize.split_gpt4o(text) == hf_pieces(GPT4O_REGEX, text) == GPT4O_CASES[text]
    assert pretokenize.PRE_TOKENIZERS["gpt-4o"] is pretokenize.split_gpt4o


def test_gpt4o_pretokenizer_random_strings_equal_regex():
    """Seeded random short strings over every class the rule tells apart: Lu, Ll, Lt, Lm, Lo,
    Mn, Mc, Me, Nd, Nl, No, White_Space (incl. U+00A0, U+3000, U+0085; U+001C is not),
    \r \n, apostrophe and contraction letters, slash, punctuation, symbols, emoji."""
    rng = random.Random(1234)
    pool = (list("AZÉΩДSTREVMLD" "azéωдstrevmldſ" "ǅǈᾈ" "ーʰ々ˆ" "中あカ한กاה" "\u0301\u0951\u0e31\u064e\u093f"
                 "\u093e\u0903" "\u20dd\u0488" "09٢९" "Ⅻↂ" "½²①" " \t\u00a0\u3000\x85\u2028\x0b\x1c" "\r\n"
                 "'" "/" ".,!?-(。，" "$+€©" "🙂\u200d")
            + ["  ", "\r\n", "'s", "'RE", "'ll", "👍🏽", "e\u0301"])
    split = pre_tokenizers.Split(Regex(GPT4O_REGEX), behavior="isolated")
    mismatches = []
    for _ in range(4000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        want = [piece for piece, _ in split.pre_tokenize_str(text)]
        got = pretokenize.split_gpt4o(text)
        if got != want:
            mismatches.append((text, got, want))
    assert not mismatches, f"{len(mismatches)} strings differ; first: {mismatches[0]!r}"


class _WithPre:
    """The SmolLM2 GGUF's tokenizer metadata with another tokenizer.ggml.pre."""

    def __init__(self, gguf, pre):
        self.metadata = dict(gguf.metadata, **{"tokenizer.ggml.pre": pre})


@pytest.mark.parametrize("pre, regex", [("gpt-2", GPT2_REGEX), ("llama-bpe", LLAMA3_REGEX), ("qwen2", QWEN2_REGEX),
                                        ("gpt-4o", GPT4O_REGEX)])
def test_each_family_pre_tokenizer_ids_equal_hf(smollm2_gguf, pre, regex):
    """Whole-tokenizer ids, not only pieces: each family's split rule (Llama 3's llama-bpe, Qwen2's qwen2,
    GPT-2's) over SmolLM2's real vocabulary and merges, against HF tokenizers built with the same rule as those
    models' tokenizer.json do (a Split regex, then byte-level without its own regex; Llama 3 also
    ignore_merges). smollm and SentencePiece are covered by test_ids_equal_reference_on_corpus."""
    md = smollm2_gguf.metadata
    tokens, types_ = md["tokenizer.ggml.tokens"], md["tokenizer.ggml.token_type"]
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = [tuple(m.split(" ")) for m in md["tokenizer.ggml.merges"]]
    hf = tokenizers.Tokenizer(models.BPE(vocab, merges, ignore_merges=pre == "llama-bpe"))
    hf.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(regex), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    hf.add_special_tokens([AddedToken(t, special=ty == CONTROL, normalized=False)
                           for t, ty in zip(tokens, types_) if ty in (CONTROL, USER_DEFINED)])
    ours = Tokenizer.from_gguf(_WithPre(smollm2_gguf, pre))
    assert ours.pre == pre
    mismatches = [(text, ours.encode(text, add_special=False), hf.encode(text, add_special_tokens=False).ids)
                  for text in CORPUS + ["1234567 ١٢٣٤ don'T WE'LL", "a\r\n\r\n  \n b", "HTMLParser iPhone's https://x/y\n/"]]
    mismatches = [m for m in mismatches if m[1] != m[2]]
    assert not mismatches, f"{len(mismatches)} strings differ; first: {mismatches[0]}"


# ---- special tokens, BOS/EOS ----

def test_bos_eos_rules(smollm2_tok, gemma3_tok):
    # SmolLM2: add_bos_token false; Gemma 3: add_bos_token true, BOS is <bos> (2).
    assert smollm2_tok.encode("Hi") == smollm2_tok.encode("Hi", add_special=False)
    assert (smollm2_tok.bos_id, smollm2_tok.eos_id) == (1, 2)
    assert gemma3_tok.bos_id == 2 and gemma3_tok.id_to_token(2) == "<bos>"
    assert gemma3_tok.encode("Hi") == [2] + gemma3_tok.encode("Hi", add_special=False)
    assert gemma3_tok.encode("") == [2] and smollm2_tok.encode("") == []


def test_add_space_prefix_equals_reference(gemma3_gguf, gemma3_hf):
    """add_space_prefix (Llama 2 style SentencePiece; Gemma 3 has it off): one "▁" before the
    text and after each special token, as `tokenizers` does with a Prepend("▁") normalizer;
    decoding drops it again, as a Strip decoder does."""
    md = dict(gemma3_gguf.metadata)
    md["tokenizer.ggml.add_space_prefix"] = True
    ours = Tokenizer.from_gguf(types.SimpleNamespace(metadata=md))
    normalizer, decoder = gemma3_hf.normalizer, gemma3_hf.decoder
    try:
        gemma3_hf.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
        gemma3_hf.decoder = decoders.Sequence([decoder, decoders.Strip(" ", 1, 0)])
        for text in CORPUS:
            ids = ours.encode(text, add_special=False)
            assert ids == gemma3_hf.encode(text, add_special_tokens=False).ids, text
            assert ours.decode(ids) == gemma3_hf.decode(ids, skip_special_tokens=False), text
    finally:
        gemma3_hf.normalizer, gemma3_hf.decoder = normalizer, decoder
    assert ours.id_to_token(ours.encode("Hello", add_special=False)[0]) == "▁Hello"


def test_eos_ids(smollm2_tok, gemma3_tok):
    assert smollm2_tok.eos_ids == {smollm2_tok.token_to_id("<|im_end|>"), smollm2_tok.token_to_id("<|endoftext|>")}
    assert gemma3_tok.eos_ids == {gemma3_tok.token_to_id("<eos>"), gemma3_tok.token_to_id("<end_of_turn>")}


def test_gemma_special_and_user_defined_tokens(gemma3_tok):
    ids = gemma3_tok.encode("<start_of_turn>user\n  x\t\ty", add_special=False)
    pieces = [gemma3_tok.id_to_token(i) for i in ids]
    assert pieces == ["<start_of_turn>", "user", "\n", "  ", "x", "\t\t", "y"]


def test_vocab_lookups(smollm2_tok, gemma3_tok):
    assert smollm2_tok.vocab_size == 49152 and gemma3_tok.vocab_size == 262144
    assert smollm2_tok.token_to_id("<|im_start|>") == 1
    assert smollm2_tok.id_to_token(19556) == "Hello"
    assert smollm2_tok.token_to_id("no such token") is None
    for bad in (-1, 49152, "3", 1.0):
        with pytest.raises(ValueError, match="out of range"):
            smollm2_tok.id_to_token(bad)
    with pytest.raises(ValueError, match="out of range"):
        smollm2_tok.decode([19556, 10 ** 9])


# ---- decoding ----

def test_decode_round_trip_and_reference(pair):
    ours, hf = pair
    for text in CORPUS:
        ids = ours.encode(text, add_special=False)
        assert ours.decode(ids) == text
        assert ours.decode(ids) == hf.decode(ids, skip_special_tokens=False)


def test_decode_skip_special(smollm2_tok, gemma3_tok):
    ids = smollm2_tok.encode("<|im_start|>user\nHi<|im_end|>")
    assert smollm2_tok.decode(ids, skip_special=True) == "user\nHi"
    ids = gemma3_tok.encode("<start_of_turn>user\nHi  there")
    # <bos> and <start_of_turn> are control; "\n" and "  " are user-defined text and stay.
    assert gemma3_tok.decode(ids, skip_special=True) == "user\nHi  there"


def stream(tok, ids, **kw):
    dec = tok.stream_decoder(**kw)
    return [dec.push(i) for i in ids], dec.flush()


def test_stream_equals_full_decode(pair):
    ours, _ = pair
    for text in CORPUS:
        ids = ours.encode(text)
        pieces, rest = stream(ours, ids)
        assert "".join(pieces) + rest == ours.decode(ids)
        assert rest == ""  # the tokens of a valid string end on a character boundary


@pytest.mark.parametrize("model", ["smollm2", "gemma3"])
def test_stream_holds_back_partial_characters(request, model):
    """Characters split over several byte tokens: no push may yield half of one."""
    tok = request.getfixturevalue(f"{model}_tok")
    text = "👨‍👩‍👧‍👦 𓀀𓀁 𠀋𠀍 ꙮ 🫠"  # ZWJ family, hieroglyphs, CJK extension B: rare, byte tokens
    ids = tok.encode(text, add_special=False)
    pieces, rest = stream(tok, ids)
    assert "".join(pieces) + rest == text
    assert all("\ufffd" not in p for p in pieces)
    assert "" in pieces, "expected at least one token that ends mid-character"
    # Only whole characters of the text come out, in order, at every step.
    so_far = ""
    for p in pieces:
        so_far += p
        assert text.startswith(so_far)


def test_stream_cut_sequence_and_flush(smollm2_tok):
    ids = smollm2_tok.encode("🙂", add_special=False)
    assert len(ids) > 1
    dec = smollm2_tok.stream_decoder()
    assert dec.push(ids[0]) == ""
    assert dec.flush() == "\ufffd"  # an unfinished character at the end is shown, not lost
    assert dec.push(ids[0]) == "" and "".join(dec.push(i) for i in ids[1:]) == "🙂"


def test_stream_skip_special(smollm2_tok):
    ids = smollm2_tok.encode("<|im_start|>assistant\nOK<|im_end|>")
    pieces, rest = stream(smollm2_tok, ids, skip_special=True)
    assert "".join(pieces) + rest == "assistant\nOK"


# ---- bad input ----

def metadata_without(gguf, **changes):
    md = dict(gguf.metadata)
    for key, value in changes.items():
        key = "tokenizer.ggml." + key
        if value is None:
            md.pop(key, None)
        else:
            md[key] = value
    return types.SimpleNamespace(metadata=md)


@pytest.mark.parametrize("changes, message", [
    ({"model": None}, "no 'tokenizer.ggml.model'"),
    ({"model": "rwkv"}, "unsupported tokenizer model 'rwkv'"),
    ({"pre": "klingon"}, "unsupported pre-tokenizer 'klingon'"),
    ({"merges": None}, "needs tokenizer.ggml.merges"),
    ({"merges": ["Ġ t", "nospace"]}, r"merges\[1\]"),
    ({"tokens": []}, "non-empty list"),
    ({"token_type": [1, 1]}, "token_type has 2 entries"),
    ({"eos_token_id": 10 ** 6}, "eos_token_id 1000000 is not a token id"),
])
def test_bad_byte_level_metadata(smollm2_gguf, changes, message):
    with pytest.raises(TokenizerError, match=message):
        Tokenizer.from_gguf(metadata_without(smollm2_gguf, **changes))


def test_bad_sentencepiece_metadata(gemma3_gguf):
    with pytest.raises(TokenizerError, match="needs tokenizer.ggml.scores"):
        Tokenizer.from_gguf(metadata_without(gemma3_gguf, scores=[0.0]))


def test_encode_rejects_non_text(smollm2_tok):
    with pytest.raises(TypeError, match="needs a str"):
        smollm2_tok.encode(b"bytes")


# ---- CLI ----

def precis_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "precis_build.cli", "tokenize", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_cli_encode_decode(smollm2_path, gemma3_path):
    smol = ("--model", str(smollm2_path))
    r = precis_cli(*smol, "Hello world")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [19556, 905]
    r = precis_cli(*smol, stdin="<|im_start|>user\nHello")
    assert json.loads(r.stdout) == [1, 4093, 198, 19556]
    r = precis_cli(*smol, "--decode", "[1, 4093, 198, 19556]")
    assert r.returncode == 0 and r.stdout == "<|im_start|>user\nHello\n"
    r = precis_cli("--model", str(gemma3_path), "Hello")
    assert json.loads(r.stdout)[0] == 2  # Gemma adds <bos>


def test_cli_errors(tmp_path, smollm2_path):
    r = precis_cli("--model", str(tmp_path / "missing.gguf"), "x")
    assert r.returncode == 2 and "model not found" in r.stderr and "Traceback" not in r.stderr
    corrupt = tmp_path / "corrupt.gguf"
    corrupt.write_bytes(smollm2_path.read_bytes()[:4096])
    r = precis_cli("--model", str(corrupt), "x")
    assert r.returncode == 2 and "corrupt" in r.stderr and "Traceback" not in r.stderr
    r = precis_cli("--decode", "[1, 99999999]")
    assert r.returncode == 2 and "out of range" in r.stderr
    r = precis_cli("--decode", "not json")
    assert r.returncode == 2 and "JSON list" in r.stderr
