"""precis.english_doers: who did a deed, read from an active English sentence (exact outcomes)."""

from precis.english_doers import doer_conflicts, page_name_words, verb_index
from precis.grounding import ground_points, split_passages

PAGE = ("Corran Holdings bought the site in 2016 for about 31 million pounds and added two sound stages in 2019. "
        "Brightwave Media, the streaming group, has agreed to pay 86 million pounds for the studios. "
        "The municipality will not reopen the footpath to the glacier front this summer. "
        "The Nordic Glacier Institute measured the ice in August. "
        "In a statement she offered a compensation scheme worth 12 million pounds. "
        "Fishing crews in Eastmoor voted to blockade the harbour. "
        "The supermarket Greenway has recalled the pies, which were made by Harlow Bakehouse.")


def reasons(point):
    sentences = [p.text for p in split_passages(PAGE)]
    return [reason for _, (reason, _) in doer_conflicts(point, sentences, page_name_words(PAGE), verb_index(sentences))]


def test_a_deed_given_to_another_party():
    assert reasons("Brightwave bought the site in 2016 for about 31 million pounds.") == [
        "the page gives this to Corran Holdings"]
    # after an apposition, and with auxiliaries between doer and verb
    assert reasons("Corran has agreed to pay 86 million pounds for the studios.") == [
        "the page gives this to Brightwave Media"]
    # bodies named by their kind: the institute is not the municipality
    assert reasons("The institute will not reopen the footpath to the glacier front.") == [
        "the page gives this to the municipality"]
    # a deed of one word after its verb
    assert reasons("Harlow Bakehouse recalled the pies.") == ["the page gives this to Greenway"]


def test_the_pages_own_doer_and_doers_the_page_does_not_name_pass():
    assert reasons("Corran bought the site in 2016 for about 31 million pounds.") == []
    assert reasons("Brightwave Media agreed to pay 86 million pounds.") == []
    assert reasons("The municipality will not reopen the footpath this summer.") == []
    # the institute's kind, said of the named institute
    assert reasons("The institute measured the ice in August.") == []
    # "she offered": the page names no doer, so none is contradicted
    assert reasons("Brightwave offered a compensation scheme worth 12 million pounds.") == []
    # a sentence's opening word is no party ("Fishing crews"), and a doer the page never names is the name check's
    assert reasons("Eastmoor crews voted to blockade the harbour.") == []
    assert reasons("Harwick Trust bought the site in 2016 for 31 million pounds.") == []
    # the same verb with another deed after it
    assert reasons("Brightwave bought two cameras in 2019.") == []


def test_the_reader_sees_who_did_it():
    (g,) = ground_points("- Brightwave bought the site in 2016 for about 31 million pounds.", PAGE)
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("Brightwave", "the page gives this to Corran Holdings")]


def test_words_many_bodies_share_make_no_two_one():
    page = ("Hallam Rowing Club won the 61st Severn Cup on Saturday, beating the holders, Ashbury Boat Club, by three "
            "lengths.")
    sentences = [page]
    assert [reason for _, (reason, _) in doer_conflicts("Ashbury Boat Club won the 61st Severn Cup", sentences,
                                                         page_name_words(page), verb_index(sentences))] == [
        "the page gives this to Hallam Rowing Club"]
    assert doer_conflicts("Hallam Rowing Club won the 61st Severn Cup", sentences, page_name_words(page),
                          verb_index(sentences)) == []


def test_a_passive_sentence_names_its_doer_after_by():
    page = ("The rescue was led by the Glenmorrow Mountain Rescue Team, whose leader coordinated 26 volunteers. "
            "The neighbouring Kinlay Rescue Team sent eight volunteers.")
    sentences = split_passages(page)
    texts = [p.text for p in sentences]

    def reasons(point):
        return [reason for _, (reason, _) in doer_conflicts(point, texts, page_name_words(page), verb_index(texts))]

    assert reasons("The Kinlay Rescue Team led the rescue") == ["the page gives this to Glenmorrow Mountain Rescue Team"]
    assert reasons("The Glenmorrow Mountain Rescue Team led the rescue") == []
    assert reasons("Glenmorrow led the rescue") == []


def test_a_verb_joined_to_the_first_carries_its_subject():
    page = ("Eastport Group signed a contract with Zhenhai Heavy Industry on 8 April and ordered 12 cranes for its new "
            "terminal. Eastport and Calder Port then agreed a joint bid and won the tender for the dredging work.")
    sentences = [p.text for p in split_passages(page)]

    def reasons(point):
        found = doer_conflicts(point, sentences, page_name_words(page), verb_index(sentences))
        return [(point[s:e], reason) for (s, e), (reason, _) in found]

    # the other party of the first verb is not the subject of the second
    assert reasons("Zhenhai Heavy Industry ordered 12 cranes for its new terminal.") == [
        ("Zhenhai Heavy Industry", "the page gives this to Eastport Group")]
    assert reasons("Eastport Group ordered 12 cranes for its new terminal.") == []
    # a party named with the subject, before the first verb, may be the doer
    assert reasons("Calder Port won the tender for the dredging work.") == []


def test_a_doer_named_in_apposition_to_a_post():
    page = ("Its chief executive, Fiona Lambert, apologised to patients on Monday. The deputy commissioner, Martin Hale, "
            "said the fine was cut. Brightfold, the Glasgow software company behind the scheduling app Rota, has agreed "
            "to be bought by Paysmith.")
    sentences = [p.text for p in split_passages(page)]

    def reasons(point):
        return [reason for _, (reason, _) in doer_conflicts(point, sentences, page_name_words(page),
                                                            verb_index(sentences))]

    assert reasons("The deputy commissioner, Martin Hale, apologised to patients") == [
        "the page gives this to Fiona Lambert"]
    assert reasons("Martin Hale apologised to patients") == ["the page gives this to Fiona Lambert"]
    assert reasons("The chief executive, Fiona Lambert, apologised to patients") == []
    # a name ending a long apposition is not the doer: the sentence names no doer there
    assert reasons("Rota has agreed to be bought by Paysmith") == []
