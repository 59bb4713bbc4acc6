"""precis.cjk_sides: the side of a deal, a loan or a case a Chinese point gives a body (exact outcomes)."""

from precis.cjk_sides import side_conflicts, sides
from precis.grounding import ground_points

PAGE = ("东川物流于2025年3月在深圳上市，本次上市的独家保荐人为瑞鼎证券，审计机构为恒达会计师事务所。"
        "新加坡的远山资本作为基石投资者认购了约2亿港元的股份。"
        "原告江北区人民检察院请求判令被告金穗置业赔偿380万元。施工方青松建设公司未被列为被告。"
        "海宁农商银行是出借方，东川物流是借款方，贷款期限为五年。"
        "法院指定明正律师事务所担任管理人。检修由德国莱茵机械公司负责，该公司也是设备的供货方。")


def reasons(point):
    (g,) = ground_points(f"- {point}", PAGE)
    return [(r["span"], r["reason"]) for r in g["reasons"]]


def test_the_sides_a_clause_gives():
    assert sides("本次上市的独家保荐人为瑞鼎证券") == [("保荐人", "瑞鼎证券", (11, 15))]
    assert sides("法院指定明正律师事务所担任管理人") == [("管理人", "明正律师事务所", (4, 11))]
    assert sides("新加坡的远山资本作为基石投资者认购了约2亿港元的股份") == [("基石投资者", "远山资本", (4, 8))]
    assert sides("原告江北区人民检察院请求判令被告金穗置业赔偿380万元") == [("原告", "江北区人民检察院", (2, 10))]
    # a holder the clause denies takes no side (not 被告; 施工方 is the body's)
    assert sides("施工方青松建设公司未被列为被告") == [("施工方", "青松建设公司", (3, 9))]
    assert sides("青松建设公司未被列为被告") == []


def test_a_side_given_to_another_body_of_the_page():
    assert reasons("本次上市的独家保荐人为远山资本") == [("远山资本", "the page names 瑞鼎证券 as 保荐人")]
    assert reasons("瑞鼎证券作为基石投资者认购了约2亿港元的股份") == [("瑞鼎证券", "the page names 远山资本 as 基石投资者")]
    assert reasons("本案原告为金穗置业") == [("金穗置业", "the page names 江北区人民检察院 as 原告")]
    assert reasons("法院指定恒达会计师事务所担任管理人") == [("恒达会计师事务所", "the page names 明正律师事务所 as 管理人")]
    # lender and borrower swapped: both bodies flagged
    assert reasons("东川物流是出借方，海宁农商银行是借款方") == [
        ("东川物流", "the page names 海宁农商银行 as 出借方"), ("海宁农商银行", "the page names 东川物流 as 借款方")]


def test_the_pages_own_holders_or_a_holder_it_only_refers_to_are_not_flagged():
    assert reasons("瑞鼎证券是本次上市的独家保荐人") == []
    assert reasons("远山资本作为基石投资者认购了约2亿港元的股份") == []
    assert reasons("海宁农商银行是出借方，东川物流是借款方") == []
    assert reasons("法院指定明正律师事务所担任管理人") == []
    # the page's clause writes the body beside the side, in whatever order
    assert side_conflicts("江北区人民检察院是本案原告", PAGE) == []
    # the page's holder is "该公司": whichever body it means may be the point's
    assert side_conflicts("德国莱茵机械公司是设备的供货方", PAGE) == []
    assert side_conflicts("青松建设公司是设备的供货方", PAGE) == []
    # a body the page never names is left to the name checks
    assert side_conflicts("本次上市的独家保荐人为华安证券", PAGE) == []
