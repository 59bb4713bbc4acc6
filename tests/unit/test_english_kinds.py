"""precis.english_kinds: what kind of body a name is, read from the page's own words (exact outcomes)."""

from precis.english_kinds import kind_conflicts, kinds
from precis.grounding import ground_points

PAGE = ("The airport is owned by a company in which the investment fund Marlow Infrastructure Partners holds half. "
        "The work is done by Pellow Construction to designs by the acoustic consultancy Ardent Sound. "
        "Its sponsor, the Calder Mutual building society, renewed its support. The taxiway went to a local firm, "
        "Dray & Sons. The largest seller of cheese, the supermarket chain Holmgard, opposed it. "
        "Inspections are made by Certa Controls, an independent certification body.")


def test_kinds_are_read_in_four_shapes():
    assert [(n, k, h) for n, k, h, _ in kinds(PAGE)] == [
        ("Marlow Infrastructure Partners", "investment fund", "fund"),
        ("Ardent Sound", "acoustic consultancy", "consultancy"),
        ("Holmgard", "supermarket chain", "chain"),
        ("Certa Controls", "independent certification body", "body"),
        ("Dray & Sons", "local firm", "firm"),
        ("Holmgard", "largest seller of cheese", "seller"),
        ("Calder Mutual", "building society", "society"),
    ]


def test_a_body_called_another_kind_or_given_anothers():
    page_kinds = kinds(PAGE)

    def reasons(point):
        return [reason for _, (reason, _) in kind_conflicts(point, page_kinds)]

    assert reasons("The investment bank Marlow Infrastructure Partners holds half.") == [
        "the page calls Marlow Infrastructure Partners an investment fund"]
    assert reasons("The dairy cooperative Holmgard opposed it.") == ["the page calls Holmgard a supermarket chain"]
    assert reasons("Its sponsor, the Calder Mutual bank, renewed its support.") == [
        "the page calls Calder Mutual a building society"]
    assert reasons("Designs by the acoustic consultancy Pellow Construction.") == [
        "the page names Ardent Sound as the acoustic consultancy"]
    # A nationality is part of the kind: the Dutch maker is Velomaak, not the operator.
    page = "The new fleet is built by the Dutch maker Velomaak. Pedalo Mobility, a company based in Lyon, runs it."
    assert [reason for _, (reason, _) in kind_conflicts("Pedalo Mobility, the Dutch maker, will run the scheme",
                                                        kinds(page))] == ["the page names Velomaak as the Dutch maker"]
    # The page's own kinds, a kind in other words of one group, and a mere "company" pass.
    assert reasons("The investment fund Marlow holds half.") == []
    assert reasons("Holmgard, the largest seller of cheese, opposed it.") == []
    assert reasons("The retailer Holmgard opposed it.") == []
    assert reasons("The company Dray & Sons built the taxiway.") == []


def test_the_reader_sees_the_kind_that_failed():
    (g,) = ground_points("- The work is done by Pellow Construction to designs by the acoustic consultancy Dray & Sons.",
                         PAGE)
    assert g["supported"] is False
    # whose kind it is, and (precis.english_work) whose work
    assert [r["reason"] for r in g["reasons"]] == ["the page names Ardent Sound as the acoustic consultancy",
                                                   "the page says designs by Ardent Sound"]


PEOPLE = ("The trust drew up the plans with the architect Helen Marsh. Its site manager, Owen Pryce, led the crews. "
          "Varga is coached by the Hungarian grandmaster Péter Halmos. Kral, a Czech grandmaster, lost in round seven. "
          "The seller, the property investor Corran Holdings, announced the deal. Corran bought the site in 2016.")


def reasons(point, page=PEOPLE):
    return [reason for _, (reason, _) in kind_conflicts(point, kinds(page))]


def test_a_person_given_another_title_or_nationality():
    assert reasons("The plans were drawn up with the architect Owen Pryce") == [
        "the page calls Owen Pryce a site manager"]
    assert reasons("Varga is coached by the Czech grandmaster Péter Halmos") == [
        "the page calls Péter Halmos a Hungarian grandmaster"]
    assert reasons("The plans were drawn up with the architect Helen Marsh") == []
    assert reasons("Varga is coached by the grandmaster Péter Halmos") == []


def test_a_party_of_a_deal_is_a_role_not_a_kind():
    assert reasons("The seller is Brightwave Media") == ["the page names Corran Holdings as the seller"]
    assert reasons("Corran Holdings was the seller") == []
    # the seller of this deal may have been the buyer of another: no kind contradicts it
    assert reasons("Corran Holdings was the buyer in 2016") == []
    # a body's own part is no kind of it
    assert reasons("Corran Holdings was the studio's owner") == []


def test_a_headline_kind_without_its_article():
    page = ("The city awarded the contract to a consortium led by the Danish builder Brennick, with the rolling-stock "
            "maker Solva Rail supplying the vehicles.")
    point = "Danish builder Solva Rail will supply rolling stock"
    found = kind_conflicts(point, kinds(page))
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == [
        ("Danish builder", "the page calls Solva Rail a rolling-stock maker")]
    assert kind_conflicts("Danish builder Brennick leads the consortium", kinds(page)) == []
