"""Sampler: pick the next token from the candidates the GPU returns.

The GPU never sends back the whole vocabulary, only its top candidates (ids + raw logits,
e.g. the 64 best). Everything here works on that short list, in pure Python.

Steps, in this order (the order transformers' logits processors use):
  1. penalties on the logits of tokens seen in the last `penalty_window` tokens of history:
       repetition: logit / r if logit > 0 else logit * r   (r > 1 makes repeats less likely)
       presence:   logit - p, once per distinct token       (OpenAI-style)
  2. temperature 0 -> greedy: the highest logit wins, ties go to the lowest id. Stop here.
  3. logits / temperature, softmax over the candidates
  4. top-k: keep the k most probable (ties broken by lower id)
  5. top-p: keep the most probable tokens until their probability adds up to top_p
  6. min-p: keep tokens whose probability is at least min_p x the best one's
  7. renormalize and draw with the sampler's own random.Random, so a seed reproduces a run.

Caveat: penalties only see the candidates. A penalized candidate can fall below a token that
was not in the GPU's top-k; with k=64 and the usual mild penalties this does not matter.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Optional, Sequence

# Cumulative sums of probabilities carry rounding error; top-p treats sums within this of
# the target as reaching it, so that e.g. 0.5 + 0.3 reaches top_p = 0.8.
_TOP_P_SLACK = 1e-9


@dataclass(frozen=True)
class SamplerConfig:
    """How to sample. Defaults: greedy, with the usual filters ready for temperature > 0.

    top_k = 0 disables top-k; top_p = 1.0 and min_p = 0.0 disable theirs.
    repetition_penalty = 1.0 and presence_penalty = 0.0 disable penalties.
    penalty_window: how many of the most recent history tokens the penalties look at (0: none).
    seed: None draws a fresh seed from the OS.
    """
    temperature: float = 0.0
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    repetition_penalty: float = 1.0
    presence_penalty: float = 0.0
    penalty_window: int = 64
    seed: Optional[int] = None

    def __post_init__(self):
        def number(name):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"sampler {name} must be a finite number, got {value!r}")
            return value

        def integer(name):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"sampler {name} must be an integer >= 0, got {value!r}")

        if number("temperature") < 0:
            raise ValueError(f"sampler temperature must be >= 0 (0 = greedy), got {self.temperature!r}")
        integer("top_k")
        if not 0.0 < number("top_p") <= 1.0:
            raise ValueError(f"sampler top_p must be in (0, 1], got {self.top_p!r}")
        if not 0.0 <= number("min_p") <= 1.0:
            raise ValueError(f"sampler min_p must be in [0, 1], got {self.min_p!r}")
        if number("repetition_penalty") <= 0:
            raise ValueError(f"sampler repetition_penalty must be > 0 (1 = off), got {self.repetition_penalty!r}")
        number("presence_penalty")
        integer("penalty_window")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)):
            raise ValueError(f"sampler seed must be an integer or None, got {self.seed!r}")

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0


def _check_candidates(ids: Sequence[int], logits: Sequence[float]) -> None:
    if len(ids) != len(logits):
        raise ValueError(f"sampler got {len(ids)} candidate ids but {len(logits)} logits")
    if not ids:
        raise ValueError("sampler got no candidates")
    for token_id, logit in zip(ids, logits):
        if isinstance(token_id, bool) or not isinstance(token_id, int) or token_id < 0:
            raise ValueError(f"sampler candidate id must be an integer >= 0, got {token_id!r}")
        if math.isnan(logit) or logit == math.inf:
            raise ValueError(f"sampler candidate {token_id} has logit {logit!r}")
    if all(logit == -math.inf for logit in logits):
        raise ValueError("sampler candidates all have logit -inf")


class Sampler:
    """Picks one token id from (ids, logits) candidates; holds the random state of a run."""

    def __init__(self, config: SamplerConfig | None = None):
        self.config = config or SamplerConfig()
        self.rng = random.Random(self.config.seed)

    def penalize(self, ids: Sequence[int], logits: Sequence[float], history: Sequence[int]) -> list[float]:
        """The candidates' logits after repetition and presence penalties (step 1)."""
        cfg = self.config
        window = cfg.penalty_window
        if window == 0 or (cfg.repetition_penalty == 1.0 and cfg.presence_penalty == 0.0):
            return [float(x) for x in logits]
        seen = set(history[-window:])
        out = []
        for token_id, logit in zip(ids, logits):
            logit = float(logit)
            if token_id in seen:
                logit = logit / cfg.repetition_penalty if logit > 0 else logit * cfg.repetition_penalty
                logit -= cfg.presence_penalty
            out.append(logit)
        return out

    def distribution(self, ids: Sequence[int], logits: Sequence[float],
                     history: Sequence[int] = ()) -> list[tuple[int, float]]:
        """The tokens that can be drawn and their probabilities (summing to 1), most probable first.

        Greedy gives a single token with probability 1.
        """
        _check_candidates(ids, logits)
        cfg = self.config
        scores = self.penalize(ids, logits, history)
        # Most probable first; equal logits keep the lower id first (greedy's tie rule).
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))
        if cfg.greedy:
            return [(ids[order[0]], 1.0)]

        # Softmax of logits / temperature, shifted by the best logit for stability.
        best = scores[order[0]] / cfg.temperature
        weights = [math.exp(scores[i] / cfg.temperature - best) for i in order]
        total = sum(weights)
        probs = [w / total for w in weights]
        keep = len(order)

        if cfg.top_k > 0:
            keep = min(keep, cfg.top_k)
        if cfg.top_p < 1.0:
            running = 0.0
            for n in range(keep):
                running += probs[n]
                if running >= cfg.top_p - _TOP_P_SLACK:
                    keep = n + 1
                    break
        if cfg.min_p > 0.0:
            threshold = cfg.min_p * probs[0]
            keep = sum(1 for n in range(keep) if probs[n] >= threshold)  # probs are sorted: a prefix
        keep = max(keep, 1)
        # Tokens with probability 0 (logit -inf or underflow) can never be drawn.
        kept = [(ids[order[n]], probs[n]) for n in range(keep) if probs[n] > 0.0]
        kept_total = sum(p for _, p in kept)
        return [(token_id, p / kept_total) for token_id, p in kept]

    def sample(self, ids: Sequence[int], logits: Sequence[float], history: Sequence[int] = ()) -> int:
        """One token id drawn from `distribution(ids, logits, history)`."""
        dist = self.distribution(ids, logits, history)
        if len(dist) == 1:
            return dist[0][0]
        target = self.rng.random()
        running = 0.0
        for token_id, p in dist:
            running += p
            if target < running:
                return token_id
        return dist[-1][0]  # rounding left the sum a hair under 1
