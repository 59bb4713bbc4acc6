"""precis.english_transfers: which side of a sale or a loan a party is on (exact parties and outcomes)."""

import pytest

from precis.english_transfers import transfer_conflicts, transfers
from precis.grounding import ground_points


def sides(text):
    return [(t.kind, [p for p, _ in t.givers], [p for p, _ in t.takers]) for t in transfers(text)]


@pytest.mark.parametrize("text, expected", [
    # active, with the other side after "from" or "to"; a relative clause's subject
    ("Norland Holdings, which bought it from the council in 2019, runs Citybus.",
     [("sale", ["the council"], ["Norland Holdings"])]),
    ("Cellcycle sold the former steelworks site to Rother Valley Land.",
     [("sale", ["Cellcycle"], ["Rother Valley Land"])]),
    # passive: the subject is the company sold, the buyer comes after "by", past an apposition and descriptors
    ("Brightfold, the Glasgow software company behind the app Rota, has agreed to be bought by the American payroll "
     "group Paysmith for $210 million.", [("sale", ["Brightfold"], ["Paysmith"])]),
    ("The site was sold to Cellcycle by Rother Valley Land for £6.2 million.",
     [("sale", ["Rother Valley Land"], ["Cellcycle"])]),
    # the company bought as the object; a loan taken from a lender, and one borrowed
    ("Brightfold has agreed to buy Paysmith for $210 million.", [("sale", ["Paysmith"], ["Brightfold"])]),
    ("Cellcycle secured a £65 million loan from the National Wealth Fund.",
     [("loan", ["National Wealth Fund"], ["Cellcycle"])]),
    ("The club borrowed £2 million from Calder Mutual.", [("loan", ["Calder Mutual"], ["The club"])]),
    # the "it" of a report is its teller; an apposition after the object names no side, and the deal goes on past it
    ("Northbridge Media announced on 3 February 2026 that it had agreed to sell Coastline FM, the commercial radio "
     "station that has broadcast to the Wexmouth area since 1987, to Meridian Audio Group for £18.5 million.",
     [("sale", ["Northbridge Media"], ["Meridian Audio Group"])]),
    ("The council said it would sell the depot, which it bought from Arden Rail in 1990, to Norland Holdings.",
     [("sale", ["The council"], ["Norland Holdings"])]),
    # a loan agreed with a lender; the borrower is the subject of the verb that takes it, not the sentence's first name
    ("A plant is to be built near Rotherham after the recycling company Cellcycle agreed a £65 million loan with the "
     "National Wealth Fund on 21 January.", [("loan", ["National Wealth Fund"], ["Cellcycle"])]),
    # a lease, hire or charter takes its sides from the preposition: from the lessor, to the lessee
    ("SkyFret has agreed to lease four freighters from Orrin Aviation Capital, a leasing company.",
     [("lease", ["Orrin Aviation Capital"], ["SkyFret"])]),
    ("Orrin Aviation Capital is leasing four freighters from SkyFret.",
     [("lease", ["SkyFret"], ["Orrin Aviation Capital"])]),
    # the party next to the verb is its subject, not a sayer before it
    ("Its director, Frank Dolan, said the buses would go back to Vantor, which leased them to Citylink.",
     [("lease", ["Vantor"], ["Citylink"])]),
    ("Harwick will hire older wagons until then.", []),
    # "is buying" is active
    ("Paysmith is buying Brightfold.", [("sale", ["Brightfold"], ["Paysmith"])]),
    # one side only, or a side named by its role in the deal, is no deal read here
    ("The letters were bought by the Grantham Library.", []),
    ("The seller sold the farm to the buyer.", []),
])
def test_transfers_read_each_side(text, expected):
    assert sides(text) == expected


PAGE = ("Citybus is owned by the transport group Norland Holdings, which bought it from the council in 2019. "
        "The site was sold to Cellcycle by Rother Valley Land for £6.2 million.")


@pytest.mark.parametrize("point, expected", [
    ("The council bought Citybus from Norland Holdings in 2019.",
     [("The council", "the page has Norland Holdings as the buyer")]),
    ("Cellcycle sold the site to Rother Valley Land.", [("Rother Valley Land", "the page has Cellcycle as the buyer")]),
    # the page's sides, in other words and voices, pass
    ("Norland Holdings bought Citybus from the council.", []),
    ("Rother Valley Land sold the site to Cellcycle for £6.2 million.", []),
    ("Cellcycle bought the site from Rother Valley Land.", []),
    # a deal of another kind is not read against these
    ("Cellcycle lent £6.2 million to Rother Valley Land.", []),
])
def test_a_party_put_on_the_other_side_is_caught(point, expected):
    page_transfers = [(t, s) for s in PAGE.split(". ") for t in transfers(s)]
    found = transfer_conflicts(point, page_transfers)
    assert [(point[a:b], reason) for (a, b), (reason, _) in found] == expected


def test_the_reader_sees_the_pages_buyer():
    swapped, kept = ground_points("- The council bought Citybus from Norland Holdings in 2019.\n"
                                  "- Norland Holdings bought Citybus from the council in 2019.", PAGE)
    assert [(r["span"], r["reason"]) for r in swapped["reasons"]] == [
        ("The council", "the page has Norland Holdings as the buyer")]
    assert (kept["supported"], kept["reasons"]) == (True, [])


ACADEMY = ("Skyline trains its own pilots at the Westcombe Flight Academy, which it bought in 2019. "
           "Paysmith has agreed to buy Brightfold")


@pytest.mark.parametrize("point, expected", [
    # the "it" of a relative clause is the sentence's first party; what the clause speaks of is the company bought
    ("Skyline trains pilots at the Westcombe Flight Academy, which Atlantic Air bought in 2019.",
     [("Atlantic Air", "the page has Skyline as the buyer")]),
    ("Northgate Capital has agreed to buy Brightfold.", [("Northgate Capital", "the page has Paysmith as the buyer")]),
    ("Skyline trains pilots at the Westcombe Flight Academy, which Skyline bought in 2019.", []),
    ("Paysmith has agreed to buy Brightfold.", []),
    # a company the page has no deal for is the fact check's
    ("Northgate Capital has agreed to buy Rota.", []),
])
def test_the_company_bought_by_another_buyer_is_caught(point, expected):
    page_transfers = [(t, s) for s in ACADEMY.split(". ") for t in transfers(s)]
    found = transfer_conflicts(point, page_transfers)
    assert [(point[a:b], reason) for (a, b), (reason, _) in found] == expected
