"""precis.english_roles: whose officer a person is, read from "Body's role, Person" (exact outcomes)."""

from precis.english_kinds import kinds
from precis.english_roles import called_by_post, officer_conflicts, officers
from precis.grounding import ground_points

PAGE = ("Northmoor Bank agreed to lend £620 million to Tidewell Power. Tidewell's chief executive, Maria Okafor, "
        "said no public money was used. Veltra's chief executive, Sam Hale, welcomed the loan.")


def test_officers_are_read_in_three_shapes():
    assert [(p, b, r) for p, b, r, *_ in officers(PAGE)] == [
        ("Maria Okafor", "Tidewell", "chief executive"), ("Sam Hale", "Veltra", "chief executive")]
    assert [(p, b, r) for p, b, r, *_ in officers("Maria Okafor, Tidewell's chief executive, said so.")] == [
        ("Maria Okafor", "Tidewell", "chief executive")]
    assert [(p, b, r) for p, b, r, *_ in officers("Dr. Okafor is Veltra's chief executive.")] == [
        ("Okafor", "Veltra", "chief executive")]
    assert [(p, b, r) for p, b, r, *_ in officers("It was run by Kelbridge Institute, whose director, Helen Achebe, "
                                                  "led the study.")] == [("Helen Achebe", "Kelbridge Institute", "director")]


def test_a_person_made_officer_of_another_body_with_whose():
    page = ("The trial was run by the Kelbridge Institute, whose director, Helen Achebe, led it. Norvane's chief "
            "executive, Lars Holm, spoke after.")
    point = "It was run by the Kelbridge Institute, whose chief executive, Lars Holm, led the study"
    at = point.index("Kelbridge Institute")
    assert officer_conflicts(point, page, officers(page)) == [
        ((at, at + len("Kelbridge Institute")), ("the page says Lars Holm is Norvane's chief executive",
                                                 "Norvane's chief executive"))]
    assert officer_conflicts("Helen Achebe, Norvane's director, led the study", page, officers(page))[0][1][0] == \
        "the page says Helen Achebe is Kelbridge Institute's director"


def test_a_person_given_another_body_or_another_officers_place():
    page_officers = officers(PAGE)
    assert officer_conflicts("Northmoor Bank's chief executive, Maria Okafor, said so.", PAGE, page_officers) == [
        ((0, 14), ("the page says Maria Okafor is Tidewell's chief executive", "Tidewell's chief executive"))]
    assert officer_conflicts("Okafor is Veltra's chief executive.", PAGE, page_officers) == [
        ((10, 16), ("the page says Okafor is Tidewell's chief executive", "Tidewell's chief executive"))]
    assert officer_conflicts("Priya Nair is Veltra's chief executive.", PAGE, page_officers) == [
        ((14, 20), ("the page names Sam Hale as Veltra's chief executive", "Sam Hale"))]
    # The page's own tie, the body named in part, and a body the page lacks (the fact check's) pass.
    assert officer_conflicts("Tidewell Power's chief executive, Maria Okafor, said so.", PAGE, page_officers) == []
    assert officer_conflicts("Arden's chief executive, Maria Okafor, said so.", PAGE, page_officers) == []


def test_a_body_called_by_its_kind_is_the_one_body_of_that_kind():
    page = ("The machine belonged to Tannock Timber, a contractor working for the state forestry agency, Forestland. "
            "The agency's director, Colin Baird, said it accepted all the recommendations.")
    point = "Colin Baird, Tannock Timber's director, said the firm accepted all the recommendations."
    assert officer_conflicts(point, page, officers(page), kinds(page)) == [
        ((13, 27), ("the page says Colin Baird is the agency's director", "the agency's director"))]
    assert officer_conflicts("Colin Baird, Forestland's director, said so.", page, officers(page), kinds(page)) == []
    # a kind two bodies of the page have does not say which
    both = page.replace("a contractor", "an agency")
    assert officer_conflicts(point, both, officers(both), kinds(both)) == []


def test_a_long_capitalized_run_is_read_once():
    assert officers("A" * 200_000 + "'s chief executive, Bo") == [
        ("Bo", "A" * 200_000, "chief executive", (0, 200_000), True)]


MUSEUM = ("The Keruvai Island Council wrote to the Carrow Museum in May 2024. The museum's director, Dr Miriam "
          "Okafor, said the board voted to approve the return. The ceremony will be led by the island's paramount "
          "chief, Ratu Semi Varo. Critics, including the historian Professor Alan Dreyer of Westmoor University, "
          "said the museum had taken too long. Lucy Hargreaves, the agency's area manager, spoke for the "
          "Environment Agency.")


def test_generic_bodies_and_members():
    assert [(p, b, r, sole) for p, b, r, _, sole in officers(MUSEUM)] == [
        ("Dr Miriam Okafor", "the museum", "director", True), ("Ratu Semi Varo", "the island", "paramount chief", True),
        ("Lucy Hargreaves", "the agency", "area manager", True),
        ("Professor Alan Dreyer", "Westmoor University", "historian", False)]


def test_a_post_the_page_gives_someone_else():
    page_officers = officers(MUSEUM)
    point = "The ceremony will be led by the museum's director, Ratu Semi Varo"
    at = point.index("the museum")
    assert officer_conflicts(point, MUSEUM, page_officers) == [
        ((at, at + len("the museum")), ("the page names Dr Miriam Okafor as the museum's director", "Dr Miriam Okafor"))]
    # a member's post: wrong for a person the page gives another post, not for one it says nothing of
    assert officer_conflicts("Ratu Semi Varo, a historian at Westmoor University, said so", MUSEUM, page_officers)[0][1][0] \
        == "the page names Professor Alan Dreyer as Westmoor University's historian"
    assert officer_conflicts("Jo Bell, a historian at Westmoor University, said so", MUSEUM, page_officers) == []
    # the generic body is the page's named one with its noun ("the agency": the Environment Agency)
    assert officer_conflicts("Lucy Hargreaves, Keruvai's area manager, said so", MUSEUM, page_officers)[0][1][0] == \
        "the page says Lucy Hargreaves is the agency's area manager"
    assert officer_conflicts("Lucy Hargreaves, the Environment Agency's area manager, said so", MUSEUM,
                             page_officers) == []
    # the page's own tie, and a name cut short at the token limit
    assert officer_conflicts("The museum's director, Dr Miriam Okafor, said so", MUSEUM, page_officers) == []
    assert officer_conflicts("The museum's director, Dr Miriam O", MUSEUM, page_officers) == []


QUOTA = ("The decision follows advice from the Marine Stock Council, the independent scientific body that assesses the "
         "stock each spring. Its chair, Helen Marsh, said the number of young fish had fallen. The Eastmoor Fishermen's "
         "Association disputed the survey. Its secretary, Callum Reid, said the vessel had skipped the northern grounds. "
         "Harbourline Foods, the biggest buyer of Eastmoor mackerel, said it would import fish from Norway.")


def test_its_officer_is_the_last_body_named_before():
    assert [(p, b, r) for p, b, r, *_ in officers(QUOTA)][:2] == [
        ("Helen Marsh", "Marine Stock Council", "chair"), ("Callum Reid", "The Eastmoor Fishermen's Association", "secretary")]
    point = "Helen Marsh, the secretary of the Eastmoor Fishermen's Association, disputed the survey"
    assert officer_conflicts(point, QUOTA, officers(QUOTA))[0][1][0] == \
        "the page names Callum Reid as Eastmoor Fishermen's Association's secretary"


def test_a_part_turned_round():
    page_officers = officers(QUOTA)
    assert officer_conflicts("Harbourline Foods is the biggest seller of Eastmoor mackerel", QUOTA, page_officers)[0][1][0] \
        == "the page says Harbourline Foods is the biggest buyer of Eastmoor"
    assert officer_conflicts("Harbourline Foods is the biggest buyer of Eastmoor mackerel", QUOTA, page_officers) == []


def test_a_role_of_four_words():
    page = "Harbour Air's head of flight operations, Colin Marsh, said no pilot had been approached."
    assert [(p, b, r) for p, b, r, *_ in officers(page)] == [("Colin Marsh", "Harbour Air", "head of flight operations")]
    point = "Dana Reyes, Harbour Air's head of flight operations, said so"
    assert officer_conflicts(point, page, officers(page))[0][1][0] == \
        "the page names Colin Marsh as Harbour Air's head of flight operations"


INSURER = ("Castellan Insurance has agreed to buy Ridgeway Mutual for £640 million. Castellan's chief executive, Robert "
           "Lindqvist, said the Reading office would stay open. Ridgeway's chair, Elaine Foster, said the board had "
           "looked at other options. Ridgeway's deputy chief executive, Simon Carter, will leave the company when the "
           "deal is completed.")


def test_a_person_called_by_the_post_the_page_gives_them_alone():
    page_officers = officers(INSURER)
    # the longest post the point goes on with; none where the point names the person itself
    assert called_by_post("Ridgeway's deputy chief executive will leave", page_officers) == [((0, 33), "Simon Carter")]
    assert called_by_post("Ridgeway's chair will leave", page_officers) == [((0, 16), "Elaine Foster")]
    assert called_by_post("Ridgeway's chair, Elaine Foster, looked at other options", page_officers) == []
    assert called_by_post("Ridgeway's head of claims will leave", page_officers) == []


def test_a_post_given_the_deed_of_another_person_is_flagged_on_the_post():
    chair, deputy = ground_points("- Ridgeway's chair will leave the company\n"
                                  "- Ridgeway's deputy chief executive will leave the company", INSURER)
    assert [(r["span"], r["reason"]) for r in chair["reasons"]] == [("Ridgeway's chair", "the page names Simon Carter here")]
    assert (deputy["supported"], deputy["reasons"]) == (True, [])


def test_a_post_has_no_verb_nor_preposition_in_it():
    # "the restoration is designed by Ruth Kavanagh of …" names no post; a post after "a" or "the" still is one
    assert officers("The restoration is designed by Ruth Kavanagh of Kavanagh Hale Architects.") == []
    assert [o[:3] for o in officers("The architect Ruth Kavanagh of Kavanagh Hale Architects drew the plans.")] == [
        ("Ruth Kavanagh", "Kavanagh Hale Architects", "architect")]
