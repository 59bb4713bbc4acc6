"""Sampler: exact candidate sets for each filter, exact penalties, seeded reproducibility, and
draws that follow the softmax within a stated tolerance."""

import math
from collections import Counter

import pytest

from precis.sampler import Sampler, SamplerConfig

# "Plain" sampling: no filter, no penalty, so the distribution is the softmax of logits / T.
PLAIN = dict(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0)


def softmax(logits, temperature=1.0):
    top = max(logits)
    weights = [math.exp((x - top) / temperature) for x in logits]
    total = sum(weights)
    return [w / total for w in weights]


def as_dict(distribution):
    return dict(distribution)


# Probabilities 0.5, 0.3, 0.15, 0.05 exactly, as logits (log p), on deliberately unordered ids.
IDS = [40, 7, 1000, 3]
PROBS = [0.15, 0.5, 0.05, 0.3]
LOGITS = [math.log(p) for p in PROBS]


def test_greedy_picks_argmax():
    sampler = Sampler(SamplerConfig(temperature=0.0))
    assert sampler.sample(IDS, LOGITS, []) == 7
    assert sampler.distribution(IDS, LOGITS) == [(7, 1.0)]


def test_greedy_ties_go_to_the_lowest_id():
    sampler = Sampler(SamplerConfig(temperature=0.0))
    assert sampler.sample([9, 5, 12, 6], [1.0, 2.5, 2.5, 2.5], []) == 5


def test_greedy_does_not_consume_randomness():
    sampler = Sampler(SamplerConfig(temperature=0.0, seed=1))
    state = sampler.rng.getstate()
    sampler.sample(IDS, LOGITS, [])
    assert sampler.rng.getstate() == state


def test_temperature_gives_softmax_of_scaled_logits():
    for temperature in (0.5, 1.0, 2.0):
        dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "temperature": temperature})).distribution(IDS, LOGITS))
        expected = dict(zip(IDS, softmax(LOGITS, temperature)))
        assert dist.keys() == expected.keys()
        for token_id, p in expected.items():
            assert dist[token_id] == pytest.approx(p, abs=1e-12)


def test_distribution_is_sorted_most_probable_first():
    dist = Sampler(SamplerConfig(**PLAIN)).distribution(IDS, LOGITS)
    assert [token_id for token_id, _ in dist] == [7, 3, 40, 1000]


@pytest.mark.parametrize("top_k, kept", [(1, {7}), (2, {7, 3}), (3, {7, 3, 40}), (4, set(IDS)), (64, set(IDS)),
                                         (0, set(IDS))])
def test_top_k_keeps_exactly_the_k_best(top_k, kept):
    dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "top_k": top_k})).distribution(IDS, LOGITS))
    assert set(dist) == kept
    total = sum(PROBS[IDS.index(t)] for t in kept)
    for token_id in kept:  # renormalized over the kept tokens
        assert dist[token_id] == pytest.approx(PROBS[IDS.index(token_id)] / total, abs=1e-12)


def test_top_k_ties_at_the_boundary_keep_lower_ids():
    dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "top_k": 2})).distribution([8, 2, 5], [0.0, 0.0, 0.0]))
    assert dist == {2: pytest.approx(0.5), 5: pytest.approx(0.5)}


@pytest.mark.parametrize("top_p, kept", [
    (0.3, {7}), (0.5, {7}),               # the best token alone already reaches it
    (0.51, {7, 3}), (0.8, {7, 3}),        # 0.5 + 0.3 = 0.8 reaches 0.8 exactly
    (0.81, {7, 3, 40}), (0.95, {7, 3, 40}),
    (0.96, set(IDS)), (1.0, set(IDS)),
])
def test_top_p_keeps_the_smallest_set_reaching_p(top_p, kept):
    dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "top_p": top_p})).distribution(IDS, LOGITS))
    assert set(dist) == kept
    assert sum(dist.values()) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("min_p, kept", [
    (0.0, set(IDS)),
    (0.09, set(IDS)),        # threshold 0.045 < 0.05
    (0.11, {7, 3, 40}),      # threshold 0.055 > 0.05
    (0.29, {7, 3, 40}),      # threshold 0.145 < 0.15
    (0.31, {7, 3}),          # threshold 0.155
    (0.59, {7, 3}),          # threshold 0.295 < 0.3
    (0.61, {7}),
    (1.0, {7}),
])
def test_min_p_keeps_tokens_above_a_fraction_of_the_best(min_p, kept):
    dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "min_p": min_p})).distribution(IDS, LOGITS))
    assert set(dist) == kept


def test_min_p_uses_the_tempered_distribution():
    # At T=2 the probabilities flatten to sqrt(p) normalized: 0.05 -> sqrt(0.05/0.5) = 0.316 of the best.
    dist = as_dict(Sampler(SamplerConfig(**{**PLAIN, "temperature": 2.0, "min_p": 0.3})).distribution(IDS, LOGITS))
    assert set(dist) == set(IDS)


def test_filters_apply_in_order_top_k_top_p_min_p():
    # top_k=3 drops 1000 and renormalizes to 0.5/0.95, 0.3/0.95, 0.15/0.95 = 0.526, 0.316, 0.158;
    # top_p=0.8 then needs the first two (0.526 < 0.8 <= 0.842); min_p=0.5 keeps 0.316 >= 0.263.
    sampler = Sampler(SamplerConfig(temperature=1.0, top_k=3, top_p=0.8, min_p=0.5))
    dist = as_dict(sampler.distribution(IDS, LOGITS))
    assert dist == {7: pytest.approx(0.5 / 0.8), 3: pytest.approx(0.3 / 0.8)}


def test_repetition_penalty_divides_positive_and_multiplies_negative_logits():
    sampler = Sampler(SamplerConfig(repetition_penalty=2.0))
    penalized = sampler.penalize([1, 2, 3, 4], [3.0, -1.0, 0.0, 5.0], history=[2, 1, 1, 9])
    assert penalized == [1.5, -2.0, 0.0, 5.0]  # 3 and 4 are not in the history


def test_presence_penalty_subtracts_once_per_distinct_token():
    sampler = Sampler(SamplerConfig(presence_penalty=0.5))
    assert sampler.penalize([1, 2, 3], [3.0, -1.0, 2.0], history=[1, 1, 1, 2]) == [2.5, -1.5, 2.0]


def test_both_penalties_repetition_first():
    sampler = Sampler(SamplerConfig(repetition_penalty=1.5, presence_penalty=0.25))
    assert sampler.penalize([1, 2], [3.0, -2.0], history=[1, 2]) == [3.0 / 1.5 - 0.25, -2.0 * 1.5 - 0.25]


def test_penalty_window_only_sees_recent_tokens():
    sampler = Sampler(SamplerConfig(repetition_penalty=2.0, penalty_window=3))
    # 1 is four tokens back: outside the window of 3.
    assert sampler.penalize([1, 2], [4.0, 4.0], history=[1, 2, 5, 6]) == [4.0, 2.0]
    off = Sampler(SamplerConfig(repetition_penalty=2.0, penalty_window=0))
    assert off.penalize([1, 2], [4.0, 4.0], history=[1, 2]) == [4.0, 4.0]


def test_repetition_penalty_changes_the_greedy_choice():
    sampler = Sampler(SamplerConfig(temperature=0.0, repetition_penalty=1.3))
    assert sampler.sample([5, 6], [2.0, 1.6], history=[]) == 5
    assert sampler.sample([5, 6], [2.0, 1.6], history=[5]) == 6  # 2.0 / 1.3 = 1.54 < 1.6


def test_seed_reproduces_a_run():
    config = SamplerConfig(**{**PLAIN, "seed": 1234})
    a, b = Sampler(config), Sampler(config)
    run_a = [a.sample(IDS, LOGITS, []) for _ in range(300)]
    run_b = [b.sample(IDS, LOGITS, []) for _ in range(300)]
    assert run_a == run_b
    assert len(set(run_a)) == 4  # it really sampled, not a constant
    other = Sampler(SamplerConfig(**{**PLAIN, "seed": 4321}))
    assert [other.sample(IDS, LOGITS, []) for _ in range(300)] != run_a


def draw_frequencies(sampler, ids, logits, n):
    counts = Counter(sampler.sample(ids, logits, []) for _ in range(n))
    return {token_id: counts[token_id] / n for token_id in ids}, counts


def test_draws_follow_the_softmax():
    # 20,000 draws: the standard error of a frequency is at most sqrt(0.25 / 20000) = 0.0035, so
    # 0.012 is over 3 sigma; the chi-square bound is the 0.1% critical value for 5 degrees of freedom.
    ids = [11, 22, 33, 44, 55, 66]
    logits = [2.0, 1.0, 0.5, 0.0, -1.0, 1.5]
    n = 20000
    freqs, counts = draw_frequencies(Sampler(SamplerConfig(**{**PLAIN, "seed": 0})), ids, logits, n)
    expected = dict(zip(ids, softmax(logits)))
    assert max(abs(freqs[t] - expected[t]) for t in ids) < 0.012
    chi2 = sum((counts[t] - n * expected[t]) ** 2 / (n * expected[t]) for t in ids)
    assert chi2 < 20.52


def test_draws_follow_the_filtered_distribution():
    n = 10000
    sampler = Sampler(SamplerConfig(temperature=0.7, top_k=3, top_p=1.0, min_p=0.0, seed=7))
    freqs, counts = draw_frequencies(sampler, IDS, LOGITS, n)
    assert counts[1000] == 0  # filtered by top_k
    expected = as_dict(sampler.distribution(IDS, LOGITS))
    assert max(abs(freqs[t] - expected.get(t, 0.0)) for t in IDS) < 0.015


def test_minus_infinity_candidates_are_never_drawn():
    sampler = Sampler(SamplerConfig(**{**PLAIN, "seed": 3}))
    dist = as_dict(sampler.distribution([1, 2, 3], [0.0, -math.inf, 0.0]))
    assert dist == {1: 0.5, 3: 0.5}
    assert 2 not in {sampler.sample([1, 2, 3], [0.0, -math.inf, 0.0], []) for _ in range(200)}


@pytest.mark.parametrize("ids, logits, fragment", [
    ([1, 2], [0.0], "2 candidate ids but 1 logits"),
    ([], [], "no candidates"),
    ([1, 2], [0.0, float("nan")], "logit nan"),
    ([1], [float("inf")], "logit inf"),
    ([1, 2], [-math.inf, -math.inf], "all have logit -inf"),
    ([1, -2], [0.0, 0.0], "id must be"),
    ([1, 2.5], [0.0, 0.0], "id must be"),
])
def test_bad_candidates_are_clear_errors(ids, logits, fragment):
    with pytest.raises(ValueError, match=fragment):
        Sampler(SamplerConfig(**PLAIN)).sample(ids, logits, [])


@pytest.mark.parametrize("field, value, fragment", [
    ("temperature", -0.1, "temperature"),
    ("temperature", float("nan"), "temperature"),
    ("top_k", -1, "top_k"),
    ("top_k", 2.5, "top_k"),
    ("top_p", 0.0, "top_p"),
    ("top_p", 1.5, "top_p"),
    ("min_p", -0.1, "min_p"),
    ("repetition_penalty", 0.0, "repetition_penalty"),
    ("presence_penalty", float("inf"), "presence_penalty"),
    ("penalty_window", -1, "penalty_window"),
    ("seed", "abc", "seed"),
])
def test_bad_config_is_a_clear_error(field, value, fragment):
    with pytest.raises(ValueError, match=fragment):
        SamplerConfig(**{field: value})
