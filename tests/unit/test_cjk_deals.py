"""precis.cjk_deals: who buys whom, as a Chinese page says it (exact outcomes)."""

from precis.cjk_deals import deal_conflicts, deals

PAGE = ("康宁大药房和百信医药于2024年12月9日宣布合并，由康宁以约18亿元收购百信的全部股份。这次收购并非康宁第一次扩张。"
        "德顺酱园3月12日宣布，已同意以1.8亿元的价格把全部股权出售给调味品企业鲜禾食品。明前茶收购价涨到每斤80元。")


def test_deals_are_read_with_the_buyer():
    # not 这次收购并非…: no party; not 收购价: a price
    assert [(buyer, bought) for buyer, bought, _ in deals(PAGE)] == [("康宁", "百信"), ("调味品企业鲜禾食品", None)]
    assert [(buyer, bought) for buyer, bought, _ in deals("百信被康宁以约18亿元收购")] == [("康宁", "百信")]
    # the bought named in a clause before (该厂…): the buyer only; 收购了 is 收购
    assert [(buyer, bought) for buyer, bought, _ in deals("该厂建于1986年，2015年被华甘糖业收购")] == [("华甘糖业", None)]
    assert [(buyer, bought) for buyer, bought, _ in deals("2015年，岭南糖厂收购了华甘糖业")] == [("岭南糖厂", "华甘糖业")]


def test_the_buyer_and_the_bought_traded():
    def reasons(point):
        return [(point[s:e], reason) for (s, e), (reason, _) in deal_conflicts(point, PAGE)]

    assert reasons("百信以约18亿元收购康宁的全部股份。") == [("百信", "the page says 康宁 is the buyer")]
    assert reasons("德顺酱园将收购鲜禾食品的全部股权。") == [("德顺酱园", "the page says 调味品企业鲜禾食品 is the buyer")]
    assert reasons("康宁以约18亿元收购百信的全部股份。") == []
    assert reasons("鲜禾食品将收购德顺酱园的全部股权。") == []
    page = "岭南糖厂位于南宁郊区。该厂建于1986年，2015年被华甘糖业收购。"
    assert [(r[0], r[1][0]) for r in deal_conflicts("2015年，岭南糖厂收购了华甘糖业。", page)] == [
        ((6, 10), "the page says 华甘糖业 is the buyer")]
    assert deal_conflicts("2015年，华甘糖业收购了岭南糖厂。", page) == []
