"""precis.english_placings: who won and who came second, as an English page says it (exact outcomes)."""

from precis.english_placings import placing_conflicts, placings

TRAM = ("The city has awarded the contract to a consortium led by the Danish builder Brennick. The runner-up, the "
        "Italian firm Costrava, had offered a lower price.")
GLASS = ("The authority has chosen Clearcycle, ending a contract with Grenholt Recycling. Pell said Clearcycle won "
         "because of its plan to sort glass by colour. The 61st Severn Cup was won by Hallam.")


def test_placings_are_read_with_their_party():
    assert [(p, n) for p, n, _ in placings(TRAM)] == [("runner-up", "Costrava")]
    # "the Cup was won by Hallam" places no Cup
    assert [(p, n) for p, n, _ in placings(GLASS)] == [("won", "Clearcycle")]
    assert [(p, n) for p, n, _ in placings("Ashbury finished as runner-up, and the winner was Hallam.")] == [
        ("runner-up", "Ashbury"), ("won", "Hallam")]


def test_a_party_placed_where_the_page_places_another():
    def reasons(point, page):
        return [(point[s:e], reason) for (s, e), (reason, _) in placing_conflicts(point, placings(page))]

    assert reasons("Costrava won the contract, with Brennick finishing as runner-up.", TRAM) == [
        ("Costrava", "the page says Costrava was the runner-up"), ("Brennick", "the page says Costrava was the runner-up")]
    assert reasons("Grenholt Recycling won the tender, ending Clearcycle's contract.", GLASS) == [
        ("Grenholt Recycling", "the page says Clearcycle won")]
    # the page's own placings; a winner the page names no rival of; a cup won by someone
    assert reasons("Brennick won the contract; the runner-up was Costrava.", TRAM) == []
    assert reasons("Clearcycle won the tender, ending Grenholt's contract.", GLASS) == []
    assert reasons("Grenholt Recycling won a national award.", GLASS) == []
    assert reasons("61st Severn Cup won by Hallam", GLASS) == []
