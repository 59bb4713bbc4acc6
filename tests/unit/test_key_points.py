"""Tidying a key-points answer: the model's repeats and its own numbering after the bullets go,
everything else stays as the model wrote it."""

import pytest

from precis.grounding import summary_points
from precis.key_points import tidy_bullets
from precis.summarize import Page, run_summary

BRIDGE = "The stone bridge over the Vell river reopened on the first of October."


@pytest.mark.parametrize("raw, tidy", [
    # What SmolLM2-135M writes after "- " on the README's page: one point, numbered, three times.
    ("\n".join(f"- {n}. {BRIDGE}" for n in (1, 2, 3)), f"- {BRIDGE}"),
    # Numbered 1, 2, 3 down the list: the numbers go, the points stay.
    ("- 1. Reopened.\n- 2. Cost 3.4 million.\n- 3. Trucks allowed.", "- Reopened.\n- Cost 3.4 million.\n- Trucks allowed."),
    # A repeat that differs only in case, spacing and punctuation is still a repeat.
    ("- The bridge reopened.\n- the  bridge reopened\n- It cost 3.4 million.", "- The bridge reopened.\n- It cost 3.4 million."),
    # The model restarts its count: the repeat goes, then the numbers count 1, 2 and go too.
    ("- 1. A point.\n- 1. A point.\n- 2. Another.", "- A point.\n- Another."),
    # Numbers that do not count 1, 2, 3... are the points' own: kept.
    ("- 2024 was dry.\n- 1990. A flood.", "- 2024 was dry.\n- 1990. A flood."),
    ("- 3. Third.\n- 4. Fourth.", "- 3. Third.\n- 4. Fourth."),
    # A point that starts with a decimal: "2." is not a list number there (it was read as one: "1 million").
    ("- 1. Reopened.\n- 2.1 million crossed it.\n- 3. Closed.", "- 1. Reopened.\n- 2.1 million crossed it.\n- 3. Closed."),
    ("- 2.1 million crossed it.\n- 3.5 tonnes at most.", "- 2.1 million crossed it.\n- 3.5 tonnes at most."),
    # Only some bullets numbered: kept as written.
    ("- 1. One.\n- Two.", "- 1. One.\n- Two."),
    # The model's count goes on without the bullet marks: the items become "- " bullets all the same.
    ("- 1. Reopened.\n2. Cost 3.4 million.\n  3. Trucks allowed.", "- Reopened.\n- Cost 3.4 million.\n  - Trucks allowed."),
    ("1. One.\n2. One.\n3. Two.", "- One.\n- Two."),
    # Numbered items that do not count 1, 2, 3 keep their numbers; repeats still go.
    ("1. One.\n1. One.\n5. Two.", "1. One.\n5. Two."),
    # Chinese: punctuation differences do not make a new point; the 、 numbering goes.
    ("- 1、石桥于十月一日重新开放。\n- 2、石桥于十月一日重新开放\n- 3、修缮耗资340万欧元。",
     "- 石桥于十月一日重新开放。\n- 修缮耗资340万欧元。"),
    # Where generation stopped a loop (precis.generation, "repetition"): an empty last bullet goes.
    (f"- 1. {BRIDGE}\n- 2", f"- {BRIDGE}"),
    ("- A.\n- B.\n- ", "- A.\n- B."),
    ("- A.\n-  3.", "- A."),
    # Lines that are not bullets, indentation and a trailing newline are kept.
    ("Key points:\n  - A.\n  - B.\n", "Key points:\n  - A.\n  - B.\n"),
    ("", ""),
])
def test_tidy_bullets(raw, tidy):
    assert tidy_bullets(raw) == tidy


def test_key_points_summary_is_tidied_and_other_styles_are_not():
    page = Page("Bridges", BRIDGE)
    answer = "1. Reopened.\n- 2. Reopened.\n- 3. In October."   # continues the "- " the prompt ends with
    streamed = []
    out = run_summary(page, "key-points", "short", complete=lambda m, n, on_text: answer,
                      count_prompt=lambda m: 10, prompt_budget=1000, on_text=streamed.append)
    assert out == "- Reopened.\n- In October."
    assert streamed == ["- "]   # the stream is the model's own text; the returned text replaces it
    prose = "A. A. A."
    assert run_summary(page, "tldr", "short", complete=lambda m, n, on_text: prose,
                       count_prompt=lambda m: 10, prompt_budget=1000) == prose


def test_grounding_counts_each_tidied_point_once():
    raw = "\n".join(f"- {n}. {BRIDGE}" for n in (1, 2, 3))
    assert summary_points(raw) == [BRIDGE] * 3
    assert summary_points(tidy_bullets(raw)) == [BRIDGE]


def test_a_point_starting_with_a_decimal_keeps_its_number_for_grounding():
    assert summary_points("- 2.1 million people crossed it.\n- 2. It reopened.") == [
        "2.1 million people crossed it.", "It reopened."]
