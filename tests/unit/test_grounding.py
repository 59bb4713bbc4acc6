"""Grounding: passages, points, BM25 best passage and the support flag."""

import pytest

from precis.grounding import (content_words, ground, ground_as_dict, split_passages,
                              summary_points)

ARTICLE = (
    "The Rosetta spacecraft reached comet 67P in August 2014 after a ten-year journey. "
    "Dr. Matt Taylor led the science team.\n\n"
    "Its lander, Philae, bounced twice before settling in a shadowed crevice. "
    "The mission ended in 2016 when Rosetta was crashed onto the comet's surface."
)


def test_passages_are_sentences_with_exact_spans():
    passages = split_passages(ARTICLE)
    assert [p.text for p in passages] == [
        "The Rosetta spacecraft reached comet 67P in August 2014 after a ten-year journey.",
        "Dr. Matt Taylor led the science team.",  # "Dr." does not end a sentence
        "Its lander, Philae, bounced twice before settling in a shadowed crevice.",
        "The mission ended in 2016 when Rosetta was crashed onto the comet's surface.",
    ]
    for p in passages:
        assert ARTICLE[p.start:p.end] == p.text


def test_short_fragments_join_the_next_sentence():
    passages = split_passages("Ok. The launch went ahead on Tuesday morning.")
    assert [p.text for p in passages] == ["Ok. The launch went ahead on Tuesday morning."]


def test_points_from_bullets_without_markdown():
    summary = "Here:\n- **Rosetta** reached [comet 67P](http://x) in 2014.\n* Philae `bounced`.\n1. Ended in 2016."
    assert summary_points(summary) == ["Rosetta reached comet 67P in 2014.", "Philae bounced.", "Ended in 2016."]


def test_points_from_sentences_when_no_list():
    assert summary_points("Rosetta reached the comet. It ended in 2016 with a crash.") == [
        "Rosetta reached the comet.", "It ended in 2016 with a crash."]


def test_content_words_drop_stop_words_and_inflections():
    assert content_words("The landers bounced and were settling") == ["lander", "bounc", "settl"]


def test_each_point_links_to_its_passage_and_invented_points_are_flagged():
    summary = ("- Rosetta arrived at comet 67P in 2014.\n"
               "- The Philae lander bounced twice.\n"
               "- Matt Taylor led the science team.\n"
               "- The mission discovered life on Mars.")
    passages, groundings = ground(summary, ARTICLE)
    assert [g.passage for g in groundings[:3]] == [0, 2, 1]
    assert [g.supported for g in groundings] == [True, True, True, False]
    assert groundings[1].support == pytest.approx(1.0)
    assert groundings[3].support < 0.5


def test_point_sharing_no_word_has_no_passage():
    _, groundings = ground("- Quantum chromodynamics explains gluons.", ARTICLE)
    assert groundings[0].passage == -1 and groundings[0].supported is False


def test_dict_form_carries_only_used_passages():
    d = ground_as_dict("- Philae bounced twice in a crevice.", ARTICLE)
    assert list(d["passages"]) == ["2"]
    assert d["passages"]["2"]["start"] == ARTICLE.index("Its lander")
    assert d["points"][0]["supported"] is True


def test_empty_inputs():
    assert split_passages("") == []
    passages, groundings = ground("- Something.", "")
    assert passages == [] and groundings[0].passage == -1 and not groundings[0].supported
