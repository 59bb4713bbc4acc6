"""precis.english_posts: a post the point gives a person that the page gives them none of (exact spans and reasons)."""

import pytest

from precis.english_posts import post_conflicts, posts
from precis.grounding import ground_points

PAGE = ("The council approved the bond on 4 May. The mayor, Tomas Reid, said it would not raise property taxes. "
        "Councillor Ruth Abara led the critics, who voted against the plan. The board's chair, Helen Ostrowski, "
        "said the permit met the law. Orrin's chief executive, Wei Ling Tan, said the company owns 64 freighters.")
SENTENCES = [s + "." for s in PAGE.rstrip(".").split(". ")]


def test_the_posts_a_page_gives():
    assert [(person, " ".join(words), " ".join(body), called) for person, words, body, _, called in posts(PAGE)] == [
        ("Ruth Abara", "councillor", "", "councillor"), ("Tomas Reid", "mayor", "", "mayor"),
        ("Helen Ostrowski", "chair", "the board", "the board's chair"),
        ("Wei Ling Tan", "chief executive", "orrin", "Orrin's chief executive")]


@pytest.mark.parametrize("point, expected", [
    # a title before the name, an apposition with no body, a post of another body
    ("Treasurer Tomas Reid said the bond would not raise taxes.", [("Treasurer", "the page calls Tomas Reid the mayor")]),
    ("Mayor Ruth Abara voted against the plan.", [("Mayor", "the page calls Ruth Abara the councillor")]),
    ("Helen Ostrowski, the deputy chair, voted against.",
     [("deputy chair", "the page calls Helen Ostrowski the board's chair")]),
    ("Wei Ling Tan, SkyFret's finance director, spoke.",
     [("finance director", "the page calls Wei Ling Tan Orrin's chief executive")]),
    # the page's own posts, written another way, pass
    ("Mayor Tomas Reid said the bond would not raise taxes.", []),
    ("Helen Ostrowski, the board chair, said the permit met the law.", []),
    ("Helen Ostrowski, the chairwoman, said the permit met the law.", []),
    ("Orrin's CEO, Wei Ling Tan, said the company owns 64 freighters.", []),
    # a person the page gives no post, and a post the page writes in a sentence naming the person, pass
    ("Chair Anna Berg opened the meeting.", []),
    ("Ruth Abara, a critic, voted against.", []),
])
def test_a_post_the_page_gives_another(point, expected):
    found = post_conflicts(point, posts(PAGE), SENTENCES)
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected


def test_the_reader_sees_the_post_and_the_passage():
    (g,) = ground_points("- Mayor Ruth Abara voted against the plan.", PAGE)
    assert not g["supported"]
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("Mayor", "the page calls Ruth Abara the councillor")]
