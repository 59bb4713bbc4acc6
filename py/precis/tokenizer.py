"""Text <-> token ids, built from a GGUF file's own `tokenizer.ggml.*` metadata. Pure stdlib.

Two kinds, chosen by `tokenizer.ggml.model`:
- "gpt2": byte-level BPE (SmolLM2, Llama 3, Qwen 2). The text is cut into words by the
  `tokenizer.ggml.pre` rule (precis.pretokenize), each word's UTF-8 bytes are spelled in
  GPT-2's byte alphabet (precis.byte_level), and merges apply in the order of
  `tokenizer.ggml.merges`.
- "llama": SentencePiece BPE (Gemma 3). Spaces become "▁" (plus one in front when
  `add_space_prefix`), characters merge best-score-first by `tokenizer.ggml.scores`, and a
  character with no token of its own becomes its UTF-8 bytes as <0xXX> tokens.
In both, control (type 3) and user-defined (type 4) tokens are found in the raw text first
(precis.special_tokens), so `<|im_start|>` in a chat prompt is one id.

Results are the same ids as Hugging Face `tokenizers` and llama.cpp give (tests check a
multilingual corpus against `tokenizers`). SmolLM2's `smollm` rule splits every numeric
character on its own, as llama.cpp and the original SmolLM2 tokenizer do.

Speed: each word's ids are cached, so a page mostly costs one dict lookup per word.
"""

from __future__ import annotations

import codecs
import re
from itertools import compress
from operator import neg
from typing import Callable, Optional

from precis import bpe_merge, byte_level, pretokenize
from precis.gguf import MAX_MERGES, MAX_VOCAB_TOKENS  # the ceilings the GGUF reader applies, for direct use
from precis.gguf import NumericArray  # how GGUF numeric arrays arrive (packed, list-like)
from precis.special_tokens import SpecialTokenError, SpecialTokenSplitter

# tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6

# Texts of control tokens that end a turn: generation stops on these as well as on EOS.
END_OF_TURN_TEXTS = frozenset((
    "<|im_end|>", "<|endoftext|>", "<|end_of_text|>", "<|eot_id|>", "<|end|>", "<|eot|>",
    "<end_of_turn>", "<eot>", "<EOT>", "<end_of_utterance>", "<|return|>",
))

SPACE_MARK = "▁"  # SentencePiece's visible space (U+2581)

# Long-running pages would grow the word cache without bound; start over past this size.
CACHE_LIMIT = 200_000


class TokenizerError(ValueError):
    """The GGUF's tokenizer metadata is missing, inconsistent, or of a kind we cannot run."""


def _metadata(gguf, key, default=...):
    value = gguf.metadata.get(key, default)
    if value is ...:
        raise TokenizerError(f"GGUF metadata has no {key!r}: cannot build the tokenizer")
    return value


class Tokenizer:
    """Use `Tokenizer.from_gguf(gguf)`; see the module docstring."""

    def __init__(self, *, kind: str, tokens: list[str], token_types: list[int],
                 pre: str = "default", merges: list[str] | None = None,
                 scores: list[float] | None = None, bos_id: int | None = None,
                 eos_id: int | None = None, unk_id: int | None = None,
                 pad_id: int | None = None, add_bos: bool = False, add_eos: bool = False,
                 add_space_prefix: bool = False):
        if kind not in ("gpt2", "llama"):
            raise TokenizerError(f"unsupported tokenizer model {kind!r} (supported: gpt2, llama)")
        # (The loops over the vocabulary below run at C speed: map/zip/compress, no Python
        # loop per token, so Gemma's 262k tokens load in well under a second.)
        if not isinstance(tokens, list) or not tokens or set(map(type, tokens)) != {str}:
            raise TokenizerError("tokenizer.ggml.tokens must be a non-empty list of strings")
        if not isinstance(token_types, (list, NumericArray)):
            raise TokenizerError("tokenizer.ggml.token_type must be a list of integers")
        if len(tokens) > MAX_VOCAB_TOKENS:
            raise TokenizerError(f"the vocabulary has {len(tokens):,} tokens, over the ceiling of "
                                 f"{MAX_VOCAB_TOKENS:,} (no real model has that many)")
        if len(token_types) != len(tokens):
            raise TokenizerError(f"tokenizer.ggml.token_type has {len(token_types)} entries "
                                 f"for {len(tokens)} tokens")
        self.kind = kind
        self.tokens = tokens
        self.token_types = token_types
        self.vocab_size = len(tokens)
        # text -> id; built from the end so that the first id wins if a text repeats.
        self.vocab: dict[str, int] = dict(zip(reversed(tokens), range(len(tokens) - 1, -1, -1)))

        def checked_id(name, value):
            if value is None:
                return None
            if not isinstance(value, int) or not 0 <= value < self.vocab_size:
                raise TokenizerError(f"{name} {value!r} is not a token id (vocabulary of {self.vocab_size})")
            return value

        self.bos_id = checked_id("bos_token_id", bos_id)
        self.eos_id = checked_id("eos_token_id", eos_id)
        self.unk_id = checked_id("unknown_token_id", unk_id)
        self.pad_id = checked_id("padding_token_id", pad_id)
        if add_bos and self.bos_id is None:
            raise TokenizerError("add_bos_token is set but the GGUF has no bos_token_id")
        if add_eos and self.eos_id is None:
            raise TokenizerError("add_eos_token is set but the GGUF has no eos_token_id")
        self.add_bos = bool(add_bos)
        self.add_eos = bool(add_eos)
        self.add_space_prefix = bool(add_space_prefix)

        self.eos_ids = {self.eos_id} if self.eos_id is not None else set()
        for text in END_OF_TURN_TEXTS:
            i = self.vocab.get(text)
            if i is not None and token_types[i] in (CONTROL, USER_DEFINED):
                self.eos_ids.add(i)

        special_ids = list(compress(range(len(tokens)), map((CONTROL, USER_DEFINED).__contains__, token_types)))
        try:
            self.splitter = SpecialTokenSplitter({tokens[i]: i for i in special_ids},
                                                 control_ids=[i for i in special_ids if token_types[i] == CONTROL])
        except SpecialTokenError as e:
            raise TokenizerError(str(e)) from None
        self._cache: dict[str, tuple[int, ...]] = {}
        # Called before each word not in the cache and every bpe_merge.CHECK_EVERY merges of a long
        # one; it may raise (the engine's stop check) to abandon the encode. None: no check.
        self.checkpoint: Optional[Callable[[], None]] = None
        self._bytes_cache: dict[int, bytes] = {}

        if kind == "gpt2":
            self._init_byte_level(pre, merges)
        else:
            self._init_sentencepiece(scores)

    # ---- construction ----

    @classmethod
    def from_gguf(cls, gguf) -> "Tokenizer":
        """Build from an open GGUF (precis.gguf.open_gguf) using its tokenizer.ggml.* keys."""
        kind = _metadata(gguf, "tokenizer.ggml.model")
        tokens = _metadata(gguf, "tokenizer.ggml.tokens")
        types = gguf.metadata.get("tokenizer.ggml.token_type")
        if types is None:
            types = [NORMAL] * len(tokens) if isinstance(tokens, list) else []
        md = gguf.metadata
        return cls(
            kind=kind, tokens=tokens, token_types=types,
            pre=md.get("tokenizer.ggml.pre", "default"),
            merges=md.get("tokenizer.ggml.merges"),
            scores=md.get("tokenizer.ggml.scores"),
            bos_id=md.get("tokenizer.ggml.bos_token_id"),
            eos_id=md.get("tokenizer.ggml.eos_token_id"),
            unk_id=md.get("tokenizer.ggml.unknown_token_id"),
            pad_id=md.get("tokenizer.ggml.padding_token_id"),
            # Defaults when a key is absent follow llama.cpp: SentencePiece models add BOS.
            add_bos=md.get("tokenizer.ggml.add_bos_token", kind == "llama"),
            add_eos=md.get("tokenizer.ggml.add_eos_token", False),
            add_space_prefix=md.get("tokenizer.ggml.add_space_prefix", False),
        )

    def _init_byte_level(self, pre: str, merges) -> None:
        split = pretokenize.PRE_TOKENIZERS.get(pre)
        if split is None:
            raise TokenizerError(f"unsupported pre-tokenizer {pre!r} "
                                 f"(supported: {', '.join(sorted(pretokenize.PRE_TOKENIZERS))})")
        if not isinstance(merges, list) or not merges:
            raise TokenizerError("a gpt2 tokenizer needs tokenizer.ggml.merges (missing or empty)")
        self.pre = pre
        self._pre_split = split
        # Llama 3: a word that is a token as a whole skips the merges (as llama.cpp does).
        self._ignore_merges = pre in ("llama-bpe", "llama3")
        if len(merges) > MAX_MERGES:
            raise TokenizerError(f"tokenizer.ggml.merges has {len(merges):,} merges, over the ceiling of "
                                 f"{MAX_MERGES:,} (no real model has that many)")
        # "left right" -> rank, keyed by the GGUF's own line ("Ġ t" means merge "Ġ" with "t"): no second
        # copy of the merges (a (left, right) key cost Qwen's 151k merges about 17 MiB more of the browser's
        # heap). Both sides and the result must be tokens (as Hugging Face tokenizers requires): else a
        # word could merge into a symbol with no id.
        ranks = {}
        vocab = self.vocab
        for rank, line in enumerate(merges):
            parts = line.split(" ") if isinstance(line, str) else ()
            if len(parts) != 2 or not parts[0] or not parts[1]:
                raise TokenizerError(f"tokenizer.ggml.merges[{rank}] = {line!r} is not 'left right'")
            left, right = parts
            if left not in vocab or right not in vocab or left + right not in vocab:
                missing = next(t for t in (left, right, left + right) if t not in vocab)
                raise TokenizerError(f"tokenizer.ggml.merges[{rank}] = {line[:80]!r} uses {missing[:80]!r}, "
                                     "which is not in the vocabulary")
            ranks.setdefault(line, rank)
        self._ranks = ranks

    def _init_sentencepiece(self, scores) -> None:
        if not isinstance(scores, (list, NumericArray)) or len(scores) != self.vocab_size:
            got = len(scores) if isinstance(scores, (list, NumericArray)) else "no"
            raise TokenizerError(f"a llama (SentencePiece) tokenizer needs tokenizer.ggml.scores, "
                                 f"one per token ({got} for {self.vocab_size} tokens)")
        self.pre = "sentencepiece"
        if set(map(type, scores)) - {float, int}:
            raise TokenizerError("tokenizer.ggml.scores must be numbers")
        # Only normal tokens are merge results; minus the score is the rank (best = lowest).
        normal = list(map((NORMAL).__eq__, self.token_types))
        self._ranks = dict(zip(compress(self.tokens, normal), map(neg, compress(scores, normal))))
        # <0xXX> token for each byte, for characters that have no token.
        self._byte_ids = [self.unk_id] * 256
        for i in compress(range(self.vocab_size), map((BYTE).__eq__, self.token_types)):
            t = self.tokens[i]
            if len(t) == 6 and t.startswith("<0x") and t.endswith(">"):
                try:
                    self._byte_ids[int(t[3:5], 16)] = i
                except ValueError:
                    pass
        # Words: the text is cut before each "▁" that follows a non-"▁" character, since no
        # merge can cross such a cut... unless a token holds that character followed by "▁"
        # (Gemma 3 has ">▁</"): those characters ("joiners") do not cut.
        self._word_cut = re.compile(self._word_cut_pattern(list(self._ranks)))

    @staticmethod
    def _word_cut_pattern(merge_results: list[str]) -> str:
        if "\n" not in "".join(merge_results):
            # One regex pass over all tokens joined by newlines (fast for 262k tokens).
            found = re.findall(f"([^{SPACE_MARK}\n])(?={SPACE_MARK})", "\n".join(merge_results))
        else:
            found = [t[k - 1] for t in merge_results for k in range(1, len(t))
                     if t[k] == SPACE_MARK and t[k - 1] != SPACE_MARK]
        no_cut = "".join(re.escape(ch) for ch in sorted(set(found) | {SPACE_MARK}))
        return f"(?<=[^{no_cut}])(?={SPACE_MARK})"

    # ---- lookups ----

    def token_to_id(self, text: str) -> int | None:
        return self.vocab.get(text)

    def id_to_token(self, token_id: int) -> str:
        self._check_id(token_id)
        return self.tokens[token_id]

    def is_special(self, token_id: int) -> bool:
        """Control or unknown tokens: the ones decode(skip_special=True) leaves out."""
        self._check_id(token_id)
        return self.token_types[token_id] in (CONTROL, UNKNOWN)

    def _check_id(self, token_id) -> None:
        if not isinstance(token_id, int) or isinstance(token_id, bool) or not 0 <= token_id < self.vocab_size:
            raise ValueError(f"token id {token_id!r} out of range (vocabulary of {self.vocab_size})")

    # ---- encoding ----

    def encode(self, text: str, add_special: bool = True, plain_spans=()) -> list[int]:
        """Token ids for `text`. add_special: prepend BOS / append EOS where the model asks.
        plain_spans: sorted (start, end) spans of untrusted text, where control tokens are not
        matched (they are encoded as the text they spell); see precis.special_tokens."""
        if not isinstance(text, str):
            raise TypeError(f"encode() needs a str, got {type(text).__name__}")
        ids: list[int] = []
        if add_special and self.add_bos:
            ids.append(self.bos_id)
        prev_special = True
        for piece in self.splitter.split(text, plain_spans):
            if isinstance(piece, int):
                ids.append(piece)
                prev_special = True
            elif self.kind == "gpt2":
                self._encode_byte_level(piece, ids)
                prev_special = False
            else:
                # llama.cpp adds the space prefix to each text that starts the input or
                # follows a special token.
                if self.add_space_prefix and prev_special:
                    piece = " " + piece
                self._encode_sentencepiece(piece, ids)
                prev_special = False
        if add_special and self.add_eos:
            ids.append(self.eos_id)
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        return ids

    def encode_plain(self, text: str) -> list[int]:
        """Ids for untrusted text on its own (no BOS/EOS, no control token matched)."""
        return self.encode(text, add_special=False, plain_spans=((0, len(text)),))

    def _encode_byte_level(self, text: str, out: list[int]) -> None:
        cache = self._cache
        checkpoint = self.checkpoint
        for word in self._pre_split(text):
            ids = cache.get(word)
            if ids is None:
                if checkpoint is not None:
                    checkpoint()
                ids = cache[word] = self._word_byte_level(word)
            out.extend(ids)

    def _word_byte_level(self, word: str) -> tuple[int, ...]:
        symbols = byte_level.text_to_symbols(word)
        vocab = self.vocab
        if self._ignore_merges and symbols in vocab:
            return (vocab[symbols],)
        merged = bpe_merge.merge(list(symbols), self._ranks, " ", checkpoint=self.checkpoint)
        return tuple(self._symbol_id(s) for s in merged)

    def _symbol_id(self, symbol: str) -> int:
        token_id = self.vocab.get(symbol)
        if token_id is None:
            if self.unk_id is None:
                raise TokenizerError(f"no token for {symbol!r} and the model has no unknown token")
            return self.unk_id
        return token_id

    def _encode_sentencepiece(self, text: str, out: list[int]) -> None:
        cache = self._cache
        checkpoint = self.checkpoint
        for word in self._word_cut.split(text.replace(" ", SPACE_MARK)):
            ids = cache.get(word)
            if ids is None:
                if checkpoint is not None:
                    checkpoint()
                ids = cache[word] = self._word_sentencepiece(word)
            out.extend(ids)

    def _word_sentencepiece(self, word: str) -> tuple[int, ...]:
        merged = bpe_merge.merge(list(word), self._ranks, "", checkpoint=self.checkpoint)
        ids = []
        for s in merged:
            token_id = self.vocab.get(s)
            if token_id is not None:
                ids.append(token_id)
            else:  # a character with no token: its UTF-8 bytes
                for b in s.encode("utf-8"):
                    byte_id = self._byte_ids[b]
                    if byte_id is None:
                        raise TokenizerError(f"no token for {s!r}: the model has neither byte "
                                             f"tokens nor an unknown token")
                    ids.append(byte_id)
        return tuple(ids)

    # ---- decoding ----

    def token_bytes(self, token_id: int) -> bytes:
        """The UTF-8 bytes token `token_id` stands for (a byte token: one byte)."""
        cached = self._bytes_cache.get(token_id)
        if cached is not None:
            return cached
        self._check_id(token_id)
        text, ty = self.tokens[token_id], self.token_types[token_id]
        if ty in (CONTROL, UNKNOWN, USER_DEFINED):
            data = text.encode("utf-8")
        elif self.kind == "gpt2":
            data = byte_level.symbols_to_bytes(text)
            if data is None:  # not in the byte alphabet: take the text as it is
                data = text.encode("utf-8")
        elif ty == BYTE and len(text) == 6 and text.startswith("<0x"):
            data = bytes((int(text[3:5], 16),))
        else:
            data = text.replace(SPACE_MARK, " ").encode("utf-8")
        self._bytes_cache[token_id] = data
        return data

    def _decode_bytes(self, ids, skip_special: bool):
        """Per-id bytes for decode(); drops the space prefix the encoder added."""
        first = True
        for token_id in ids:
            if skip_special and self.is_special(token_id):
                continue
            data = self.token_bytes(token_id)
            if first and data:
                first = False
                if self.add_space_prefix and self.kind == "llama" and data.startswith(b" "):
                    data = data[1:]
            yield data

    def decode(self, ids, skip_special: bool = False) -> str:
        """Text for `ids`; invalid UTF-8 (a cut byte sequence) shows as U+FFFD."""
        return b"".join(self._decode_bytes(ids, skip_special)).decode("utf-8", "replace")

    def stream_decoder(self, skip_special: bool = False) -> "StreamDecoder":
        return StreamDecoder(self, skip_special)


class StreamDecoder:
    """Decode ids one at a time: push() returns only text whose UTF-8 is complete, holding
    back the first bytes of a character until its last byte arrives. Everything pushed,
    then flush(), concatenates to decode(all ids)."""

    def __init__(self, tokenizer: Tokenizer, skip_special: bool = False):
        self.tokenizer = tokenizer
        self.skip_special = skip_special
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._first = True

    def push(self, token_id: int) -> str:
        tok = self.tokenizer
        if self.skip_special and tok.is_special(token_id):
            return ""
        data = tok.token_bytes(token_id)
        if self._first and data:
            self._first = False
            if tok.add_space_prefix and tok.kind == "llama" and data.startswith(b" "):
                data = data[1:]
        return self._utf8.decode(data)

    @property
    def pending(self) -> bool:
        """The first bytes of a character are held, waiting for its last."""
        return bool(self._utf8.getstate()[0])

    def flush(self) -> str:
        """The rest, with an unfinished character as U+FFFD; the decoder starts over."""
        text = self._utf8.decode(b"", final=True)
        self._utf8.reset()
        self._first = True
        return text
