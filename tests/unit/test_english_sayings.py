"""precis.english_sayings: who said the words of an English point (exact outcomes)."""

from precis.english_sayings import sayings
from precis.grounding import ground_points

PAGE = ("Corvane makes the inhaler at its plant in Dunmore. Corvane's UK director, Marcus Lindqvist, said the company "
        "had accepted a lower price in return for faster access to patients. Dr Helen Achebe said the inhaler was safe "
        "for adults. Brightwave said it would keep the studio open.")


def reasons(point):
    (g,) = ground_points(f"- {point}", PAGE)
    return [(r["span"], r["reason"]) for r in g["reasons"]]


def test_the_pages_sayings_by_name_or_by_the_name_after_a_post():
    assert [who for who, *_ in sayings(PAGE)] == ["Marcus Lindqvist", "Helen Achebe", "Brightwave"]


def test_words_said_by_another_person():
    assert reasons("Dr Helen Achebe, Corvane's UK director, said the company accepted a lower price in return for "
                   "faster access") == [("Helen Achebe", "the page says Marcus Lindqvist said this")]
    # (the same words copied closely: the name checks already give them to Lindqvist)
    assert [span for span, _ in reasons("Achebe said Corvane had accepted a lower price in return for faster access "
                                         "to patients")] == ["Achebe"]


def test_the_right_speaker_or_a_body_speaking_is_not_flagged():
    assert reasons("Marcus Lindqvist said Corvane accepted a lower price in return for faster access to patients") == []
    assert reasons("Lindqvist said the company had accepted a lower price in return for faster access") == []
    # a body may speak through a person the page names
    assert reasons("Corvane said it had accepted a lower price in return for faster access to patients") == []
