"""Exact outcomes on the labeled grounding set (tests/data/grounding, the `cases` half): every
true point is kept and every false point is flagged, with the span that failed for a few.
The rates over both halves are printed by `python -m precis_build.bench_grounding`."""

import json
from pathlib import Path

import pytest

from precis.grounding import ground_points

SET_DIR = Path(__file__).resolve().parents[1] / "data" / "grounding"


def _cases(language):
    data = json.loads((SET_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return [(page["text"], label, point) for page in data["pages"] for label, point in page.get("cases", [])]


@pytest.mark.parametrize("language", ["en", "zh", "ja"])
def test_every_case_of_the_tuned_half(language):
    wrong = []
    for text, label, point in _cases(language):
        (g,) = ground_points(f"- {point}", text)
        if g["supported"] != (label == "true"):
            wrong.append((label, point, g["unsupported_spans"]))
        if label == "true":
            assert g["unsupported_spans"] == [], point
        else:
            assert g["supported"] or g["unsupported_spans"], point  # a flag always says why
    assert wrong == []


@pytest.mark.parametrize("language, point, spans", [
    ("en", "The repairs cost 3.4 million euros.", ["3.4 million euros"]),
    ("en", "The ferry service will stop on Sunday, October 9.", ["October 9"]),
    ("en", "The ferry service is run by Esterby Boats.", ["Esterby Boats"]),
    ("en", "Residents can read the inspection report at esterby-bridge.com.", ["esterby-bridge.com"]),
    ("en", "Natarajan said the material is toxic.", ["Natarajan said the material is toxic"]),
    ("zh", "石桥于2024年10月10日重新开放。", ["2024年10月10日"]),
    ("zh", "工程师拉尔斯·奎斯特负责了石桥的修缮工程。", ["拉尔斯·奎斯特"]),
    ("zh", "该研究结果发表在《自然能源》期刊上。", ["《自然能源》"]),
    ("zh", "访客进入大楼仍然需要借书证。", ["访客进入大楼仍然需要借书证"]),
    ("ja", "国内の電池産業の昨年の生産額は3150億円に達した。", ["3150億円"]),
    ("ja", "エスタビー川の石橋が再開通した。", ["エスタビー川"]),
    ("ja", "石橋は2024年10月に再開通しなかった。", ["なかった"]),
    ("ja", "論文はkestrel-energy.ioで読める。", ["kestrel-energy.io"]),
])
def test_failing_spans(language, point, spans):
    text = next(t for t, _, p in _cases(language) if p == point)
    (g,) = ground_points(f"- {point}", text)
    assert g["supported"] is False and g["unsupported_spans"] == spans


def _page_of(language, point):
    data = json.loads((SET_DIR / f"{language}.json").read_text(encoding="utf-8"))
    # every split of the full set (the held-back one is never named in a test)
    return next(page["text"] for page in data["pages"] for split, cases in page.items()
                if split.endswith("cases") and split != "held_cases" for _, p, *_ in cases if p == point)


# Issue 16: a point is a claim. The failed fact is named with why, as the reader sees it.
@pytest.mark.parametrize("language, point, reasons", [
    # A conflated date: 2015年7月 is the page's dinner; the founding is 2015年12月.
    ("zh", "2015年7月，赵明和林雪共同承诺捐出10亿元人民币，创立了星河研究院。",
     [("2015年7月", "the page dates this to 2015年12月")]),
    ("en", "The phase 2 study was reported in May 2024.", [("May 2024", "the page dates this to May 2021")]),
    # An event dated past where it happened, in point and page ("launched at the … shipyard in Ardmore on 22 April 2025").
    ("en", "Aurelia was launched at Ardmore on 5 October 2021.", [("5 October 2021", "the page dates this to 22 April 2025")]),
    # A number from the other clause of the same sentence (the first estimate was 320亿元).
    ("zh", "项目总投资最初估算为410亿元。", [("410亿元", "the page says 320亿元 here")]),
    # A number given to a word the page gives another number (a swap between two nouns; a part as the whole).
    ("en", "The line will have 11 stops over 18 kilometres.",
     [("11", "the page says 11 kilometres"), ("18", "the page says 11 here")]),
    ("en", "Port authority paid $410 million", [("$410 million", "the page says $150 million here")]),
    # Quantity words turned around.
    ("zh", "研究院目前有不到300名员工。", [("300", "the page says 超过300")]),
    ("en", "The state will cover at least 40% of the cost.", [("40%", "the page says at most 40%")]),
    # A name in another's role.
    ("en", "Priya Nair was Northwind's first chief executive.", [("Priya Nair", "the page names Lind here")]),
    ("zh", "省交通厅厅长刘芳表示票价不会高于现有动车。", [("刘芳", "the page names 周建国 here")]),
    # A name of the page used outside its sentence: 高远 is the mayor, 何佳 the museum's director.
    ("zh", "馆长高远说新馆实行免费参观。", [("高远", "the page names 何佳 here")]),
    # The buyer and the bought swapped around the page's verb.
    ("zh", "百利超市宣布收购安达食品。", [("百利超市宣布收购安达食品", "the page says it the other way round")]),
    # The page's denial affirmed.
    ("zh", "新线将停靠青石机场站。", [("新线将停靠青石机场站", "the page says the opposite")]),
    ("en", "Mayor Kolar said fares would rise to pay for the line.",
     [("Mayor Kolar said fares would rise to pay for the line", "the page says the opposite")]),
    # A bound the page's number does not have ("about 60"); 余 is "more than".
    ("en", "Fewer than 60 letters known before find", [("60", "the page says about 60")]),
    ("zh", "考古队已出土文物不到1300件。", [("1300", "the page says 1300余")]),
    # The designer and the builder swapped; a work the page gives no one.
    ("zh", "设计由恒远建设集团负责，施工方为江州古建筑研究院。",
     [("恒远建设集团", "the page names 江州古建筑研究院 for 设计"), ("江州古建筑研究院", "the page names 恒远建设集团 for 施工")]),
    ("zh", "院区由临江建工集团设计，施工方为中南建筑设计院。",
     [("临江建工集团", "the page names 中南建筑设计院 for 设计"), ("中南建筑设计院", "the page names 临江建工集团 for 施工")]),
    ("zh", "渡轮服务由哈尔登公司运营。", [("哈尔登公司", "the page does not say this")]),
    # Bodies named without their kind (东丰电梯, 海天电器), by the clause they stand in.
    ("zh", "电梯设备由华安建设工程有限公司提供，东丰电梯负责施工",
     [("华安建设工程有限公司", "the page names 东丰电梯股份有限公司 for 提供"),
      ("东丰电梯", "the page names 华安建设工程有限公司 for 施工")]),   # the page's 施工由…承担 (both swapped)
    ("zh", "本届比赛由江城市体育局主办，海天电器承办，冠名赞助商为江城棋院",
     [("海天电器", "the page names 江城棋院 for 承办"), ("江城棋院", "the page names 海天电器 as 赞助商")]),
    # A kind of body the page never names (研究所 for its 研究院); a name one character off before its end.
    ("zh", "研究所已出土陶器、骨器等文物1300余件。", [("研究所", "the page names 省文物考古研究院")]),
    ("zh", "河州古建筑研究院负责", [("河州古建筑研究院", "the page names 江州古建筑研究院")]),
    # A person made the officer of another body, or put in another officer's place.
    ("en", "Northmoor Bank's chief executive, Maria Okafor, said no public money was used.",
     [("Northmoor Bank", "the page says Maria Okafor is Tidewell's chief executive")]),
    # The date the find was announced given to the find (the page dates the find earlier).
    ("zh", "2025年3月，省文物考古研究院在白沙河东岸发现商代聚落遗址",
     [("2025年3月", "the page says 2025年3月 is when this was announced")]),
])
def test_claims_fail_with_their_reason(language, point, reasons):
    (g,) = ground_points(f"- {point}", _page_of(language, point))
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == reasons


@pytest.mark.parametrize("language, point", [
    ("zh", "星河研究院于2015年12月成立，赵明任首任院长。"),
    ("zh", "项目总投资从320亿元调整为410亿元。"),
    ("en", "Tomas Lind was the lab's first chief executive and Priya Nair its chief scientist."),
    ("en", "Transport minister Pavel Drach said the state would pay at most 40% of the cost."),
    # Real summaries (Qwen2.5-Coder): a point spanning two sentences, a name given once in the page.
    ("zh", "高温会加快老化：在40摄氏度下存放的电池，老化速度大约是25摄氏度下的两倍。充到100%本身并不危险，但长时间保持满电会对电池造成压力。"),
    ("zh", "青州博物馆新馆不允许携带自拍杆入内。"),
    ("en", "Lind and Priya Nair"),
    # A reordering that is no swap: "opened at Marrow's library" (one side names no one).
    ("en", "A new reading room opened at Marrow's city library in March 2024."),
    ("zh", "经过约十一个月的修缮，维尔河上的石桥重新通车。"),
    # 340 of the 1200 stones: 的 makes the number another thing's, not a binding to 桥上.
    ("zh", "工程师更换了桥上的340块石头。"),
    # "heavier than 7.5 tonnes" is "over 7.5 tonnes"; a thousands comma breaks no clause; 无 denies as 没有 does.
    ("en", "Mayor Anna Berg said trucks over 7.5 tonnes will not be allowed on the bridge."),
    ("en", "Fewer than 300 of the more than 14,000 starters did not finish."),
    ("zh", "无补贴"),
    # 每周四班 is four flights a week, not Thursday; a place ("off the coast of Cornwall", "in Whitby") is no doer.
    ("zh", "东海航空七月一日起开通宁州直飞大阪的航线，每周四班。"),
    ("en", "Tidewell Power will have 48 turbines"),
    ("en", "Colin Ash, a retired teacher, found the letters in an attic in Whitby in March 2024."),
    # A space the model dropped; a misspelt noun before a name the page has.
    ("en", "St Aldric'sHospital opened its new children's wing"),
    ("en", "Pianoist Ravi Menon played on Saturday night"),
    # "£48m" is £48 million; 不少于 ("at least") is not 少于 ("less than"); 但 before a name does not spell it.
    ("en", "Halvard University covered roughly two-thirds of the £48m bill, and the Northern Sky Foundation paid the rest"),
    ("zh", "南湖区计划在2028年底前完成不少于300部电梯的加装"),
    ("zh", "明年名人战的奖金总额将至少达到300万元"),
    # "a 19-year-old from Szeged," says where she is from; the open is what she won, not a doer.
    ("en", "19-year-old Lena Varga wins Westhaven Chess Open"),
    ("en", "19-year-old Lena Varga won Westhaven Chess Open after a tiebreak."),
    # "announced on 9 September that it will buy": the announcement dates the agreement.
    ("en", "Arden Foods agreed on 9 September 2024 to buy Beltway Grocers for $2.3 billion in cash."),
    # Held splits' true points the checker flagged when it first saw them: a rule's bound (不得少于, 不低于), 无人 as a
    # denial, 不仅 for the page's 并非只有, a name past a counter or a verb, a fraction before "or more", a
    # fortnight, a frozen bill for a rise denied, two names joined before their deed.
    ("zh", "合同要求救生员人数不少于8人"),
    ("zh", "协议规定沃柑收购价每公斤至少6元，约比国内批发价高20%。"),
    ("zh", "人社局副局长钟伟说，停工期间没有发生冲突，也无人受伤。"),
    ("zh", "本届博览不仅展销，还安排了8场柴窑烧制表演。"),
    ("zh", "四个校区都会保留，但东湖校区不再招收本科新生。"),
    ("zh", "清泉和白桦两家奶牛合作社9月26日投票通过合并方案。"),
    ("en", "The deal needs the backing of three-quarters or more of the members who vote."),
    ("en", "Kavanagh Hale Architects will inspect the work every two weeks"),
    ("en", "Kestrel customers' bills are frozen for two years after the merger."),
    ("en", "Welsh handler Gethin Pryce won the Borderdale Sheepdog Trials"),
    # "Orrin's chief executive, Wei Ling Tan, said the company now owns 64 freighters": she speaks for Orrin
    ("en", "Orrin owns 64 freighters, which it leases to 19 airlines."),
    ("en", "The Victorian building was shut in November 2019"),   # a building, not building it
    ("en", "The race was won in 19 minutes 42 seconds."),   # a time, not the 61st race it won
    ("zh", "施工最繁忙的时候，工地上同时有一千一百多名工人。"),   # when the work peaked, not a record
    # a record in a phrase ("more than in any previous year"); the lowest bid is the cheapest
    ("en", "Glenmorrow Mountain Rescue Team, which depends wholly on donations, answered a record 74 calls in 2024."),
    ("en", "Clearcycle was not the lowest bidder: Grenholt offered £61 million."),
    ("zh", "该协议是南岭沃柑首次大规模进入泰国市场。"),   # 首次 is the page's 第一次
])
def test_true_claims_are_kept(language, point):
    (g,) = ground_points(f"- {point}", _page_of(language, point))
    assert (g["supported"], g["reasons"]) == (True, [])


def test_model_judge_reads_yes_and_no_from_the_top_k_and_is_asked_only_about_passed_points():
    from precis.grounding import ground
    from precis.support_judge import JUDGE_REASON, support_score

    # Best "yes" minus best "no"; an answer missing from the top-k counts as its lowest entry.
    assert support_score([5, 7, 9], [-0.1, -2.5, -4.0], yes={5}, no={7, 8}) == -0.1 - -2.5
    assert support_score([5, 9], [-0.1, -4.0], yes={5}, no={7}) == -0.1 - -4.0
    page = "Northwind Research was founded in December 2019. Its backers pledged $800 million."
    asked = []

    def says_no(passage, point):
        asked.append((passage, point))
        return -5.0

    _, groundings = ground("- Northwind was founded in December 2019.\n- Northwind was founded in July 2019.",
                           page, judge=says_no)
    # The lexically flagged point (July) is not asked about; the passed one is, with its window.
    assert asked == [(page, "Northwind was founded in December 2019.")]
    assert [(g.supported, g.reasons) for g in groundings] == [
        (False, [{"span": "Northwind was founded in December 2019.", "reason": JUDGE_REASON, "passage": 0}]),
        (False, [{"span": "July 2019", "reason": "the page dates this to December 2019", "passage": 0}])]


def test_each_calibrated_model_judges_at_its_own_threshold():
    from precis.grounding import ground_points
    from precis.support_judge import JUDGE_THRESHOLD, judge_threshold

    assert (judge_threshold("qwen2.5-coder-0.5b"), judge_threshold("qwen2.5-coder-1.5b")) == (-1.75, -1.0)
    assert judge_threshold("smollm2-135m") == judge_threshold(None) == JUDGE_THRESHOLD
    page = "Northwind Research was founded in December 2019."
    # a score of -1.1 flags the point at the 1.5B's threshold, not at the 0.5B's
    unsure = lambda passage, point: -1.1  # noqa: E731
    flagged = [ground_points("- Northwind was founded in December 2019.", page, judge=unsure,
                             judge_threshold=judge_threshold(name))[0]["supported"]
               for name in ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b")]
    assert flagged == [True, False]


def test_the_engine_judges_at_the_loaded_models_threshold(smollm2_path, qwen15_path):
    from precis.support_judge import JUDGE_THRESHOLD
    from precis_build.llama_cpp_device import native_engine

    assert native_engine(qwen15_path, context=512).judge_threshold() == -1.0
    assert native_engine(smollm2_path, context=512).judge_threshold() == JUDGE_THRESHOLD


def test_a_flag_with_the_pages_own_value_has_a_page_bound_twin():
    from precis.grounding import ground
    from precis.grounding import page_bound_twin

    page = "Northwind Research was founded in December 2019. Its backers pledged $800 million."
    _, (dated, invented) = ground("- Northwind was founded in July 2019.\n- Northwind was founded by Ada Stone.", page)
    assert page_bound_twin(dated.point, dated.reasons) == "Northwind was founded in December 2019."
    # "not in the page" names no value of the page's: there is nothing to weigh the point against
    assert invented.reasons and page_bound_twin(invented.point, invented.reasons) is None
    assert page_bound_twin("4,377 votes for Daniel Okoro", [
        {"span": "4,377", "reason": "the page says 4,812 here", "passage": 3},
        {"span": "Daniel Okoro", "reason": "the page names Labour here", "passage": 3}]) == "4,812 votes for Labour"


def test_a_judge_with_a_clearing_margin_weighs_a_flagged_point_against_its_page_bound_twin():
    from precis.grounding import ground
    from precis.support_judge import clear_margin

    assert (clear_margin("qwen2.5-coder-1.5b"), clear_margin("qwen2.5-coder-0.5b"), clear_margin(None)) == (
        0.5, None, None)
    page = "Northwind Research was founded in December 2019. Its backers pledged $800 million in 2020."
    summary = "- Northwind was founded in July 2019.\n- Northwind was founded by Ada Stone."
    asked = []

    def prefers(passage, point):
        asked.append((passage, point))
        return {"Northwind was founded in July 2019.": 1.0, "Northwind was founded in December 2019.": 0.2}[point]

    def verdicts(margin):
        asked.clear()
        return [(g.supported, [r["reason"] for r in g.reasons]) for g in
                ground(summary, page, judge=prefers, judge_clear_margin=margin)[1]]

    flagged = [(False, ["the page dates this to December 2019"]), (False, ["not in the page"])]
    assert verdicts(None) == flagged and asked == []          # no margin: no flag is weighed
    assert verdicts(0.5) == [(True, [])] + flagged[1:]        # 1.0 - 0.2 clears at 0.5 ...
    # ... asked on the same passage (the point's window and the page's value), as written and as the page binds it
    assert asked == [(page, "Northwind was founded in July 2019."), (page, "Northwind was founded in December 2019.")]
    assert verdicts(1.0) == flagged                           # ... and not at 1.0


def test_precis_ground_with_the_real_judge_clears_a_false_flag_and_keeps_a_true_one(qwen15_path, tmp_path, capsys):
    """`precis ground --model` with Qwen2.5-Coder-1.5B on two points of the seventeenth held-back split that the
    lexical check flags: a true point it misreads (the page's 4,812 votes are Labour's; Okoro won 4,377) and a wrong
    date (the shortlist came on 4 September)."""
    from precis_build.cli import main
    from precis_build.llama_cpp_device import native_engine

    assert native_engine(qwen15_path, context=512).judge_clear_margin() == 0.5
    verdicts = []
    for point, flag in (("4,377 votes for Daniel Okoro", "the page says 4,812 here"),
                        ("The shortlist of six was announced on 9 October", "the page dates this to 4 September")):
        page, summary = tmp_path / "page.txt", tmp_path / "summary.md"
        page.write_text(_page_of("en", point), encoding="utf-8")
        summary.write_text(f"- {point}\n", encoding="utf-8")
        for judge in ([], ["--model", str(qwen15_path)]):
            capsys.readouterr()
            assert main(["ground", str(page), str(summary), "--json", *judge]) == 0
            (grounded,) = json.loads(capsys.readouterr().out)["points"]
            verdicts.append((grounded["supported"], [r["reason"] for r in grounded["reasons"]]))
    assert verdicts == [(False, ["the page says 4,812 here", "the page names Labour here"]), (True, []),
                        (False, ["the page dates this to 4 September"]), (False, ["the page dates this to 4 September"])]
