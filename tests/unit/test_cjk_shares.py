"""precis.cjk_shares: who pays a share and who pays the rest, as a Chinese page says it (exact outcomes)."""

from precis.cjk_shares import share_conflicts, shares

PAGE = ("修补工程预计投入资金约1500万元，其中省财政承担六成，其余由市政府支付。项目总投资约7.2亿元，其中省级财政承担4亿元，"
        "其余由县政府筹集。")


def test_shares_are_read_with_both_parties():
    assert [(a, amount, b) for a, amount, b, _ in shares(PAGE)] == [("省财政", "六成", "市政府"), ("省级财政", "4亿元", "县政府")]
    assert [(a, amount, b) for a, amount, b, _ in shares("总投资中4亿元由县政府承担，其余由省级财政筹集")] == [
        ("县政府", "4亿元", "省级财政")]


def test_the_share_and_the_rest_traded():
    def reasons(point):
        return [(point[s:e], reason) for (s, e), (reason, _) in share_conflicts(point, PAGE)]

    assert reasons("修补资金中，市政府承担六成，其余由省财政支付。") == [
        ("市政府", "the page says 省财政 pays 六成 and 市政府 the rest")]
    assert reasons("总投资中4亿元由县政府承担，其余由省级财政筹集。") == [
        ("县政府", "the page says 省级财政 pays 4亿元 and 县政府 the rest")]
    # the page's own order, and a share of another amount, pass
    assert reasons("总投资中4亿元由省级财政承担，其余由县政府筹集。") == []
    assert reasons("市政府承担四成，其余由省财政支付。") == []
