"""precis.english_work: which body did which work, read from "<work> by <body>" (exact outcomes)."""

from precis.english_work import person_claims, person_conflicts, work_claims, work_conflicts
from precis.grounding import ground_points

PAGE = ("The tournament was organised by the Westhaven Chess Club and sponsored for the third year by the insurer "
        "Harbourline. Inspections are made by Certa Controls, an independent body approved by the national "
        "agriculture ministry. The trial uses bees bred by the Danish company Nordbi. The scheme is run for the council "
        "by the Ashgrove Energy Agency, while the money comes from the Clean Heat Fund.")


def test_claims_are_read_with_their_body():
    assert [(w, v, b) for w, v, b, _ in work_claims(PAGE)] == [
        ("organis", "organised", "Westhaven Chess Club"), ("made", "made", "Certa Controls"),
        ("approv", "approved", "national agriculture ministry"), ("breed", "bred", "Nordbi"),
        ("run", "run", "Ashgrove Energy Agency")]


def test_a_body_given_anothers_work():
    claims = work_claims(PAGE)

    def reasons(point):
        return [reason for _, (reason, _) in work_conflicts(point, claims)]

    assert reasons("The tournament was organised by Harbourline.") == [
        "the page says organised by Westhaven Chess Club"]
    assert reasons("Certa Controls is approved by the European Commission.") == [
        "the page says approved by national agriculture ministry"]
    assert reasons("The bees were bred by the Fernley Research Centre.") == ["the page says bred by Nordbi"]
    assert reasons("The scheme is run by the Clean Heat Fund.") == ["the page says run by Ashgrove Energy Agency"]
    # The page's own doer, named in part or with its kind, and a work the page gives nobody, pass.
    assert reasons("The tournament was organised by Westhaven Chess Club.") == []
    assert reasons("Bees bred by the company Nordbi.") == []
    assert reasons("The prize was paid for by Harbourline.") == []


def test_a_work_said_actively_and_a_doer_past_a_title():
    page = ("The vault is run by the Botanic Trust of Inverlochy, while the land belongs to the Carrick Estate. The team "
            "was led by Dr. Priya Natarajan.")
    claims = work_claims(page)
    assert [(w, b) for w, _, b, _ in claims] == [("run", "Botanic Trust of Inverlochy"), ("led", "Priya Natarajan")]

    def reasons(point):
        return [reason for _, (reason, _) in work_conflicts(point, claims)]

    assert reasons("The Carrick Estate runs the vault.") == ["the page says run by Botanic Trust of Inverlochy"]
    assert reasons("The Botanic Trust of Inverlochy runs the vault.") == []
    assert reasons("Dr. Priya Natarajan led the team.") == []
    assert reasons("Tom Hale led the team.") == ["the page says led by Priya Natarajan"]


def test_a_body_named_by_its_kind_in_the_page_and_a_doer_past_their_post():
    page = ("The council, which owns the building, considered demolishing it. The first performance will be a new "
            "production directed by the theatre's artistic director, Nadia Rahman.")
    claims = work_claims(page, by_kind=True)
    assert [(w, v, b) for w, v, b, _ in claims] == [("own", "owned", "council"), ("direct", "directed", "Nadia Rahman")]
    # a point's "the investor hosted" may mean the page's named host: only a page's kind is read
    assert work_claims("The investor hosted a dinner.") == []

    def reasons(point):
        return [reason for _, (reason, _) in work_conflicts(point, claims)]

    assert reasons("The Alder Theatre Trust owns the theatre building.") == ["the page says owned by council"]
    assert reasons("Leo Fenn directs the new production.") == ["the page says directed by Nadia Rahman"]
    assert reasons("Nadia Rahman directs the new production.") == []


def test_a_work_said_by_its_noun_or_its_doers_part():
    page = ("Kelbrook will build a glasshouse; the design is by the architects Farrow Kent, and the builder is Stanmore "
            "Glass. The city council, which owns the site, keeps its grant.")
    claims = work_claims(page, by_kind=True)
    assert [(w, b) for w, _, b, _ in claims] == [("design", "Farrow Kent"), ("build", "Stanmore Glass"), ("own", "council")]

    def reasons(point):
        return [reason for _, (reason, _) in work_conflicts(point, claims)]

    assert reasons("The glasshouse was designed by Stanmore Glass and will be built by Farrow Kent.") == [
        "the page says design by Farrow Kent", "the page says built by Stanmore Glass"]
    assert reasons("The Harcourt Foundation owns the garden's site.") == ["the page says owned by council"]
    assert reasons("The glasshouse was designed by Farrow Kent and will be built by Stanmore Glass.") == []


def test_the_reader_sees_whose_work_it_is():
    (g,) = ground_points("- The tournament was organised by Harbourline and sponsored by the Westhaven Chess Club.", PAGE)
    assert g["supported"] is False
    assert [r["reason"] for r in g["reasons"]] == ["the page says organised by Westhaven Chess Club"]


PEOPLE = ("The chemist Akira Mori, who studies electrodes at Kestrel University, says fast charging matters less. "
          "Reyes took over in 2024 from Professor Helen Strand, who moved to the Ridgeway Institute of Astronomy.")


def test_where_a_person_works_or_went():
    claims = person_claims(PEOPLE)
    assert [(w, p, b) for w, p, b, _ in claims] == [
        ("at", "Akira Mori", "Kestrel University"), ("to", "Professor Helen Strand", "Ridgeway Institute of Astronomy")]

    def reasons(point):
        return [reason for _, (reason, _) in person_conflicts(point, claims)]

    assert reasons("Akira Mori works at the Lindqvist Institute.") == ["the page says Akira Mori is at Kestrel University"]
    assert reasons("Dr Samuel Reyes moved to the Ridgeway Institute of Astronomy.") == [
        "the page says Professor Helen Strand moved to Ridgeway Institute of Astronomy"]
    assert reasons("Akira Mori works at Kestrel University.") == []
    assert reasons("Helen Strand moved to the Ridgeway Institute of Astronomy.") == []


def test_where_a_person_came_from():
    page = ("They signed the midfielder Tiago Moura from Sporting Vila for about £12 million, and took the defender "
            "Callum Price on a season-long loan from Wexmoor. The scheme will run from June 2026.")
    claims = person_claims(page)
    assert [(w, p, b) for w, p, b, _ in claims] == [("from", "Tiago Moura", "Sporting Vila"),
                                                    ("from", "Callum Price", "Wexmoor")]   # not "from June"

    def reasons(point):
        return [reason for _, (reason, _) in person_conflicts(point, claims)]

    assert reasons("They took Callum Price on loan from Sporting Vila") == ["the page says Callum Price came from Wexmoor"]
    assert reasons("They took Callum Price on loan from Wexmoor") == []
    assert reasons("They signed Ana Ruiz from Wexmoor") == []     # many may come from one place


def test_where_a_body_is_based():
    page = ("The authority has chosen Clearcycle, based in the port town of Asby, to run its glass recycling. The "
            "telescope was built by Brantley Optics, a company based in Leeds. Until then, Clearcycle will send the "
            "glass to an existing sorting plant in Denholm.")
    claims = person_claims(page)
    assert [(w, p, b) for w, p, b, _ in claims] == [("in", "Clearcycle", "Asby"), ("in", "Brantley Optics", "Leeds")]

    def reasons(point):
        return [reason for _, (reason, _) in person_conflicts(point, claims)]

    assert reasons("Clearcycle is based in Denholm.") == ["the page says Clearcycle is based in Asby"]
    assert reasons("Clearcycle, a firm based in Asby, won the contract.") == []
    assert reasons("Pell Glass is based in Leeds.") == []     # many may be based in one place


def test_where_a_body_is_based_with_the_place_first_and_a_person_from_past_their_age():
    page = ("Corrin Coatings, the Sheffield-based paint maker, will sell its marine arm to Vandermolen, which is based in "
            "Rotterdam. The winner, Ruth Connolly, 52, is a former geography teacher from Cromer.")
    claims = person_claims(page)
    assert [(w, p, b) for w, p, b, _ in claims] == [
        ("from", "Ruth Connolly", "Cromer"), ("in", "Vandermolen", "Rotterdam"), ("in", "Corrin Coatings", "Sheffield")]

    def reasons(point):
        return [reason for _, (reason, _) in person_conflicts(point, claims)]

    assert reasons("Corrin Coatings is based in Rotterdam") == ["the page says Corrin Coatings is based in Sheffield"]
    assert reasons("Ruth Connolly is a former geography teacher from Bristol") == [
        "the page says Ruth Connolly came from Cromer"]
    assert reasons("Corrin Coatings, the Sheffield-based paint maker, is selling its marine arm") == []
    assert reasons("Ruth Connolly is a former geography teacher from Cromer") == []
