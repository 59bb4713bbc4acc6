"""The summary's shape enforced by the decoder (precis.summary_shape): what it keeps of one step's candidates,
on the default model's real tokenizer (SmolLM2-135M: "\\n" 198, "-" 29, " The" 378, end of text 0 and 2), with
scripted candidates; then generation through the real model in native llama.cpp keeps to the shape."""

import pytest

from precis.generation import generate
from precis.gguf import open_gguf
from precis.key_points import point_key
from precis.sampler import Sampler, SamplerConfig
from precis.summarize import Page
from precis.summary_shape import SummaryShape, summary_shape
from precis.tokenizer import Tokenizer
from precis_build.paths import MODELS

# The ids below are this model's (the default model today; pinned so a new default leaves them right).
SMOLLM2 = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"

BRIDGE_PAGE = Page(title="Esterby bridge reopens", lang="en", text=(
    "Esterby bridge reopens\n\nThe stone bridge over the Vell river in Esterby reopened on the first of October, "
    "eleven months after the spring flood destroyed the old iron bridge. Twenty-two masons built its three "
    "granite arches by hand."))


@pytest.fixture(scope="module")
def tok():
    data = SMOLLM2.read_bytes()
    return Tokenizer.from_gguf(open_gguf(data, file_size=len(data)))


def ids_of(tok, *pieces):
    """The single token of each piece (asserted single, so the test says exactly what it feeds)."""
    out = []
    for piece in pieces:
        ids = tok.encode(piece, add_special=False)
        assert len(ids) == 1, (piece, ids)
        out.append(ids[0])
    return out


def shape(tok, **kw):
    kw.setdefault("style", "key-points")
    kw.setdefault("prefix", "- ")
    return SummaryShape(tok, tok.eos_ids, **kw)


def test_the_pieces_the_rules_use_are_the_tokenizers(tok):
    assert ids_of(tok, "\n", "-", " ", " The") == [198, 29, 216, 378]
    assert tok.eos_ids == {0, 2}
    s = shape(tok, count=3)
    assert (s.newline, s.dash, s.space, s.eos) == (198, 29, 216, 0)


def test_end_of_text_before_the_last_point_becomes_a_newline(tok):
    s = shape(tok, count=3)
    newline, the = ids_of(tok, "\n", " The")
    # EOS is the best candidate after the first point: a newline is forced (the next point follows).
    assert s.adjust([2, the, newline], [5.0, 1.0, 0.5], "The bridge reopened.") == ([newline], [0.5])
    # EOS not the best: it is only masked.
    assert s.adjust([the, 2], [5.0, 1.0], "The bridge reopened.") == ([the], [5.0])


def test_a_new_line_starts_a_bullet_and_a_space_follows_it(tok):
    s = shape(tok, count=3)
    dash, newline, the, two = ids_of(tok, "-", "\n", "The", "2")
    assert s.adjust([the, two, dash, newline], [4.0, 3.0, 2.0, 1.0], "The bridge reopened.\n") == ([dash], [2.0])
    # No bullet among the candidates: the bullet's token is forced.
    assert s.adjust([the, two], [4.0, 3.0], "The bridge reopened.\n") == ([29], [0.0])
    space_the = ids_of(tok, " The")[0]
    assert s.adjust([newline, space_the], [4.0, 3.0], "The bridge reopened.\n-") == ([space_the], [3.0])


def test_the_nth_point_ends_the_answer_at_its_newline(tok):
    s = shape(tok, count=2)
    newline, period, the = ids_of(tok, "\n", ".", " The")
    text = "The bridge reopened.\n- It cost 3.4 million"
    # In the last point a newline is the end: EOS takes the newline's logit; the rest stay.
    assert s.adjust([newline, period, the], [6.0, 5.0, 1.0], text) == ([0, period, the], [6.0, 5.0, 1.0])
    # After the Nth point's newline (the model wrote one anyway), end of text is forced.
    assert s.adjust([the], [1.0], "The bridge reopened.\n- It cost 3.4 million.\n") == ([0], [0.0])


def test_an_empty_point_does_not_end(tok):
    s = shape(tok, count=1)
    newline, the = ids_of(tok, "\n", " The")
    assert s.adjust([newline, 2, the], [6.0, 5.0, 1.0], "") == ([the], [1.0])
    # The model's count alone ("- 3.") is no point yet: it does not end either (tidying would drop it).
    assert s.adjust([newline, 2, the], [6.0, 5.0, 1.0], "3.") == ([the], [1.0])


def test_a_point_cannot_replay_an_earlier_point_or_the_title(tok):
    s = shape(tok, count=3, avoid=["Esterby bridge reopens"])
    re_, reopened, colon = ids_of(tok, " re", " reopened", ":")
    # "Esterby bridge re" would begin as the title does (17 normalized bytes >= 15): masked.
    assert s.adjust([re_, reopened, colon], [3.0, 2.0, 1.0], "Esterby bridge") == ([reopened, colon], [2.0, 1.0])
    # The model's own "1." before the point does not hide the copy.
    assert s.adjust([re_, colon], [3.0, 1.0], "1. Esterby bridge") == ([colon], [1.0])
    # An earlier point: the second point may not begin as the first did.
    bridge, arch = ids_of(tok, " bridge", " arch")
    text = "The stone bridge was built.\n- The stone"
    assert s.adjust([bridge, arch], [3.0, 1.0], text) == ([arch], [1.0])
    # Every candidate masked in a point before the last: the point ends.
    assert s.adjust([bridge], [3.0], text) == ([198], [0.0])


def test_a_point_cannot_go_on_copying_an_earlier_one_from_its_middle(tok):
    s = shape(tok, count=3)
    first = "The stone bridge over the Vell river in Esterby reopened on the first of October."
    text = f"{first}\n- Masons say the stone bridge over the Vell river in Esterby reopened on the first"
    of, in_ = ids_of(tok, " of", " in")
    assert s.adjust([of, in_], [3.0, 1.0], text) == ([in_], [1.0])


def test_a_chinese_page_is_answered_in_chinese(tok):
    s = shape(tok, count=3, language="Chinese")
    the, two, newline = ids_of(tok, " The", "2", "\n")
    han = tok.encode("桥", add_special=False)[0]   # a byte token: no Latin letters
    # The point's first token with letters must not be Latin; digits pass.
    assert s.adjust([the, two, han], [3.0, 2.0, 1.0], "") == ([two, han], [2.0, 1.0])
    # Once the point has begun in Chinese, a Latin name may follow.
    assert s.adjust([the, han], [3.0, 1.0], "大桥") == ([the, han], [3.0, 1.0])
    # An English page: no Han in the answer.
    english = shape(tok, count=3, language="English")
    cjk = next(i for i in range(tok.vocab_size) if "\u4e00" <= english.piece(i)[:1] <= "\u9fff")
    assert english.adjust([cjk, the], [3.0, 1.0], "It") == ([the], [1.0])


def test_a_headline_is_one_line_and_keeps_to_its_words(tok):
    s = shape(tok, style="headline", prefix="", count=1, words=2)
    newline, bridge, period = ids_of(tok, "\n", " bridge", ".")
    assert s.adjust([newline, bridge], [3.0, 1.0], "Esterby") == ([0, bridge], [3.0, 1.0])
    # Twice the words asked (a runaway): a word more ends it; a period may still close the line.
    assert s.adjust([bridge, period], [3.0, 1.0], "Esterby stone bridge reopens") == ([0, period], [3.0, 1.0])


def test_a_tldr_ends_after_its_sentences(tok):
    s = shape(tok, style="tldr", prefix="", count=1)
    the, four = ids_of(tok, " The", "4")
    # "3." then "4": a decimal, not a sentence end.
    assert s.adjust([four, the], [3.0, 1.0], "It cost 3.") == ([four, 0], [3.0, 1.0])
    assert s.adjust([the], [1.0], "It cost 3.4 million. ") == ([0], [0.0])


def test_summary_shape_reads_the_page(tok):
    s = summary_shape(tok, tok.eos_ids, BRIDGE_PAGE, "key-points", "medium")
    assert (s.style, s.count, s.language, s.prefix) == ("key-points", 5, "English", "- ")
    assert s.avoid == ["esterby bridge reopens"]   # the title, and the page's header line (the same)


def test_smollm2_in_llama_cpp_writes_exactly_the_points_asked_none_repeated(tok):
    """The real model (SmolLM2-135M, native llama.cpp, greedy with the engine's repetition penalty): unshaped
    it copies the page's first sentence as every point; shaped, the answer is N distinct bullets."""
    from precis_build.llama_cpp_device import llama_cpp_engine, load_llama

    engine = llama_cpp_engine(load_llama(SMOLLM2, context=2048), SMOLLM2, context=2048)
    for length, n in (("short", 3),):
        result = engine.summarize(BRIDGE_PAGE.__dict__, "key-points", length)
        lines = result["text"].split("\n")
        assert len(lines) == n and all(line.startswith("- ") and len(line) > 4 for line in lines), result["text"]
        assert len({point_key(line) for line in lines}) == n, result["text"]
        assert point_key(lines[0]) != point_key(BRIDGE_PAGE.title)
        assert result["stats"]["finish_reason"] == "eos"


def test_generation_consults_the_shape_each_step(tok):
    """generate() hands the shape every step's candidates and the text so far; what it keeps is drawn."""
    s = shape(tok, count=1)
    the, bridge, newline = ids_of(tok, " The", " bridge", "\n")
    script = iter([([2, the], [5.0, 1.0]), ([bridge, newline], [1.0, 0.5]), ([newline, 2], [4.0, 1.0])])
    result = generate([1], lambda unseen: next(script), tok, Sampler(SamplerConfig()), 10,
                      stop_ids=tok.eos_ids, shape=s)
    # EOS first (empty point: masked), then " bridge", then the newline of the last point -> EOS.
    assert result.ids == [the, bridge, 0] and result.text == " The bridge" and result.finish_reason == "eos"


# ---- names the page never uses are taken back ---------------------------------------------------------------

ZH_BRIDGE_TEXT = ("维尔河石桥重新开放\n\n埃斯特比镇维尔河上的石桥于2024年10月1日重新开放，此前修缮工程持续了十一个月。"
                  "\n\n这座桥建于1793年，是全县最古老的过河通道。")


def named_shape(tok, text):
    from precis.grounding import PassageIndex, split_passages

    index = PassageIndex(split_passages(text))
    return shape(tok, count=3, page_names=lambda line: index.names_not_in_page(line, finished=True))


def test_a_finished_name_the_page_never_uses_is_taken_back_from_its_start(tok):
    s = named_shape(tok, ZH_BRIDGE_TEXT)
    answer = "2024年10月1日重新开放\n- 斯河石桥是"
    assert s.take_back(answer) == answer.index("斯河") == 17
    # Not yet finished (the next token may still make it the page's), or the page's own name: nothing.
    assert s.take_back("2024年10月1日重新开放\n- 斯河石桥") == -1
    assert s.take_back("2024年10月1日重新开放\n- 维尔河石桥是全县最古老的过河通道") == -1
    # Only the current line: an earlier point was already shown.
    assert s.take_back("斯河石桥是全县最古老的\n- 这座桥建于") == -1


def test_an_english_name_is_taken_back_but_a_capitalized_first_word_is_not(tok):
    s = named_shape(tok, BRIDGE_PAGE.text)
    assert s.take_back("The stone bridge over the Vell river") == -1
    assert s.take_back("Masons from Dunmore built") == len("Masons from ")
    assert s.take_back("Twenty-two masons built its arches") == -1
    # Without the page's names (a shape made without them) nothing is taken back.
    assert shape(tok, count=3).take_back("Masons from Dunmore built") == -1


def test_summary_shape_knows_the_pages_names(tok):
    s = summary_shape(tok, tok.eos_ids, BRIDGE_PAGE, "key-points", "short")
    assert s.take_back("Esterby's bridge was built by Hallam engineers") == len("Esterby's bridge was built by ")
    assert s.take_back("Esterby's bridge reopened") == -1
