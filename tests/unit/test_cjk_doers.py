"""precis.cjk_doers: who did a deed, read from a Chinese clause (exact outcomes)."""

from precis.cjk_doers import clauses, doer_conflicts
from precis.cjk_names import role_holders
from precis.grounding import ground_points

PAGE = ("当地村民陈山在溪边发现了这种树蛙。研究员周明远随后带领团队在两年里先后六次进山调查，共采集到标本11只。"
        "保护区管理局副局长王丽萍表示，两条山谷今年不会对游客开放。为了准备论文，有人整理了全部标本的照片。")


def reasons(point):
    people = {name for _, name, *_ in role_holders(PAGE, 8)}
    return [reason for _, (reason, _) in doer_conflicts(point, clauses(PAGE), people)]


def test_a_deed_given_to_another_person():
    assert reasons("王丽萍带领团队六次进山调查") == ["the page gives this to 周明远"]
    # the person's role before the name, adverbs after it
    assert reasons("副局长王丽萍随后带领团队进山调查，共采集到标本11只") == ["the page gives this to 周明远"]


def test_the_pages_own_doer_and_deeds_with_no_doer_pass():
    assert reasons("周明远带领团队六次进山调查") == []
    assert reasons("研究员周明远先后带领团队进山调查") == []
    # the page names no one before the verb: nothing to contradict
    assert reasons("周明远整理了全部标本的照片") == []
    # a verb of saying is the role checks' work; another deed after the same verb is not this one
    assert reasons("王丽萍表示两条山谷今年不会对游客开放") == []
    assert reasons("王丽萍带领游客参观保护区") == []


def test_the_reader_sees_who_did_it():
    (g,) = ground_points("- 王丽萍带领团队六次进山调查，共采集到标本11只。", PAGE)
    assert g["supported"] is False
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("王丽萍", "the page gives this to 周明远")]


BODIES = ("破产企业辰光新能源旗下的沙坪光伏电站公开拍卖，华曜能源以9.6亿元竞得。辰光新能源因债务问题于2024年进入破产程序。"
          "两校的四个校区将全部保留，但江川师范学院位于老城区的东湖校区今后只承担继续教育。"
          "环境局副局长高志远介绍，工厂必须更换设备。副局长刘明说，处罚已经公布。高志远还说，调查没有发现工厂偷排的证据。")


def body_reasons(point):
    from precis.facts import extract_facts
    people = {name for _, name, *_ in role_holders(BODIES, 8)} | {
        f.text for f in extract_facts(BODIES) if f.kind == "name" and f.key[0] == "cjk" and len(f.text) >= 4}
    return [reason for _, (reason, _) in doer_conflicts(point, clauses(BODIES), people)]


def test_a_deed_given_to_another_body():
    assert body_reasons("华曜能源因债务问题于2024年进入破产程序") == ["the page gives this to 辰光新能源"]
    assert body_reasons("辰光新能源因债务问题于2024年进入破产程序") == []
    # a body by its short name is the page's body
    assert body_reasons("师范学院位于老城区的东湖校区今后只承担继续教育") == []


def test_words_said_by_another_person():
    from precis.cjk_doers import page_sayings, speaker_conflicts
    people = {name for _, name, *_ in role_holders(BODIES, 8)}
    sayings = page_sayings(clauses(BODIES), people)

    def reasons(point):
        return [reason for _, (reason, _) in speaker_conflicts(point, sayings, people)]

    assert reasons("刘明说，调查没有发现工厂偷排的证据") == ["the page says 高志远 said this"]
    assert reasons("高志远说，调查没有发现工厂偷排的证据") == []
    assert reasons("刘明说，处罚已经公布") == []
    # the words said in other words, most of them the page's
    assert reasons("刘明说，调查并未找到工厂偷排证据") == ["the page says 高志远 said this"]


def test_words_said_by_a_person_no_role_names():
    """A bare name that says something (林晓梅表示, 赵刚则提醒) is a speaker though the page gives them no role in the
    clause; so is a name after a role word that only says who they are (董事会秘书郑琳在电话会议上表示)."""
    page = ("该院教授林晓梅牵头项目。林晓梅表示，监测数据将向养殖户免费开放，而不是只供科研使用。"
            "赵刚则提醒，预警系统并不能阻止赤潮发生。董事会秘书郑琳在电话会议上表示，公司预计审查不会遇到障碍。")
    (g,) = ground_points("- 赵刚表示，监测数据将向养殖户免费开放", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("赵刚", "the page says 林晓梅 said this")]
    (g,) = ground_points("- 林晓梅提醒，预警系统并不能阻止赤潮发生", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("林晓梅", "the page says 赵刚 said this")]
    (g,) = ground_points("- 林晓梅在电话会议上表示，公司预计审查不会遇到障碍", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("林晓梅", "the page says 郑琳 said this")]
    for point in ("林晓梅说，监测数据将向养殖户免费开放", "赵刚提醒，预警系统并不能阻止赤潮发生", "郑琳表示，公司预计审查不会遇到障碍"):
        (g,) = ground_points(f"- {point}", page)
        assert g["reasons"] == [], point


def test_words_said_by_a_person_behind_a_title_no_role_word_names():
    """A title that is no role word (区长助理, 行业分析人士) before the name; 辩称 is a verb of saying too."""
    page = ("区长助理冯立军说，改造资金全部来自区财政。行业分析人士郑宏认为，两家企业的结合在国内还不多见。"
            "被告的代理律师郑雅婷辩称，使用这个字号并非有意模仿。")
    for point, speaker, page_speaker in (("区长助理潘国华说，改造资金全部来自区财政", "潘国华", "冯立军"),
                                         ("行业分析人士钱正宇认为，两家企业的结合在国内还不多见", "钱正宇", "郑宏"),
                                         ("被告的代理律师孔令飞辩称，使用这个字号并非有意模仿", "孔令飞", "郑雅婷")):
        (g,) = ground_points(f"- {point}", page)
        assert [(r["span"], r["reason"]) for r in g["reasons"]] == [(speaker, f"the page says {page_speaker} said this")]
    # what is said in the speaker's own clause (何振宇称暂无在香港开店的计划)
    page += "董事长林晓岚今年43岁，联合创始人何振宇担任首席执行官。目前公司在香港没有门店，何振宇称暂无在香港开店的计划。"
    (g,) = ground_points("- 林晓岚称公司暂无在香港开店的计划", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == [("林晓岚", "the page says 何振宇 said this")]
    for point in ("区长助理冯立军说，改造资金全部来自区财政", "行业分析人士郑宏认为，两家企业的结合在国内还不多见",
                  "郑雅婷辩称，使用这个字号并非有意模仿", "何振宇称公司暂无在香港开店的计划"):
        (g,) = ground_points(f"- {point}", page)
        assert g["reasons"] == [], point


def test_a_deed_done_by_a_persons_relative_is_not_theirs():
    page = ("酱园董事长周文涛说，家族中没有年轻人愿意接手。周文涛的堂弟周文杰投了反对票，他认为价格偏低。")
    people = {"周文涛"}

    def reasons(point):
        found = doer_conflicts(point, clauses(page), people)
        return [(point[s:e], reason) for (s, e), (reason, _) in found]

    assert reasons("周文涛投了反对票，认为价格偏低") == [("周文涛", "the page gives this to 周文杰")]
    assert reasons("周文杰投了反对票，认为价格偏低") == []


def test_a_deed_done_with_another_party_and_a_sentence_carrying_its_doer_on():
    from precis.cjk_doers import sentence_openings
    page = ("东澜港集团于2025年4月8日与振海重工签订合同，订购12台自动化岸边集装箱起重机。"
            "据俱乐部总经理韩明介绍，江州银河俱乐部将为周雨桐配备专门的体能教练。")
    people = {"东澜港集团", "振海重工", "江州银河俱乐部", "周雨桐"}
    assert sentence_openings(page) == [0, 0, 2, 2]

    def reasons(point):
        found = doer_conflicts(point, clauses(page), people, sentence_openings(page))
        return [(point[s:e], reason) for (s, e), (reason, _) in found]

    # the ordering clause names no one: its sentence's opening doer orders
    assert reasons("振海重工向东澜港集团订购了12台起重机") == [("振海重工", "the page gives this to 东澜港集团")]
    assert reasons("东澜港集团向振海重工订购了12台起重机") == []
    # the party a deed is done for (为周雨桐) is not its doer
    assert reasons("江州银河俱乐部将为周雨桐配备专门的体能教练") == []
