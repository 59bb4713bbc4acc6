"""Chinese names as the page spells them and the roles it gives them (precis.cjk_names), and the
quantity and relative-time words the grounding check compares (precis.grounding): exact outcomes."""

import pytest

from precis.cjk_names import work_claims, work_conflicts, page_spelling, role_conflicts, role_holders
from precis.grounding import ground_points

MUSEUM = ("上海科技馆的恐龙特展于2025年10月1日开幕。策展人李婉清说，开幕首周接待观众4.2万人次，超过去年同期。"
          "科技馆馆长赵明此前曾表示，展览不会延期。")
DEAL = ("快递公司顺航物流上个月宣布收购本地同行迅达速运。顺航总裁刘国华表示，收购完成后公司网点将增至3200个。"
        "去年顺航营收为96亿元，比前年增长12%。施工方华建集团的项目经理是王海涛。")

STORM = ("省气象台首席预报员韦晓东说，台风在东州以南登陆。东州市应急管理局在9月15日发布了台风红色预警。"
         "据省应急管理厅初步统计，台风共造成约36万人受灾。据西岭区林业和园林局统计，公园内已记录鸟类156种。"
         "公园日常管理由西岭区园林绿化服务中心负责。")

FINAL = ("名人战决赛在江城国际会议中心结束，由江城棋院承办。旧衣物由专门的回收企业统一清运。")
LAW = "条例于今年3月26日经市人大常委会表决通过，由市城市管理局负责组织实施。"
LIFT = "加装电梯项目由南湖区住房和城乡建设局负责审批。电梯设备由东丰电梯提供，并负责维保。"
CLUBS = ("周雨桐此前在湖滨体育俱乐部效力了6年。郑海燕原是湖滨俱乐部的教练。江州银河俱乐部将为周雨桐配备专门的体能教练。"
         "据江州银河俱乐部总经理韩明介绍，俱乐部今年的投入不到500万元。她的主教练仍是郑海燕。")
TEAMS = ("江北猛虎队在总决赛中以四比二战胜东海鲸鲨队，建队二十三年来首次夺冠。猛虎队主教练郭振宇赛后说，球队打出了水平。"
         "郭振宇是去年12月接手猛虎队的，当时球队战绩为8胜12负。东海鲸鲨队外援马库斯·贝尔得到28分。"
         "鲸鲨队主教练王永刚赛后说，球队没有找借口。")


def _span(point, text):
    at = point.index(text)
    return at, at + len(text)


@pytest.mark.parametrize("point, name, expected", [
    ("山上科技馆恐龙特展", "科技馆", "上海科技馆"),   # one character off: the page's spelling
    ("该科技馆恐龙特展", "科技馆", None),            # a qualifier, not a spelling
    ("上海科技馆恐龙特展", "海科技馆", None),          # the page's own spelling
    ("科技馆恐龙特展", "科技馆", None),               # nothing in front
])
def test_page_spelling(point, name, expected):
    start, end = _span(point, name)
    assert page_spelling(point, start, end, MUSEUM) == expected


def test_role_holders_read_role_name_and_body():
    assert role_holders(DEAL) == [("总裁", "刘国华", DEAL.index("刘国华"), DEAL.index("刘国华") + 3, "顺航"),
                                  ("项目经理", "王海涛", DEAL.index("王海涛"), DEAL.index("王海涛") + 3, "华建集团")]
    assert role_holders(MUSEUM)[0][:2] == ("策展人", "李婉清")
    assert [h[:2] for h in role_holders(MUSEUM)] == [("策展人", "李婉清"), ("馆长", "赵明")]


@pytest.mark.parametrize("page, point, expected", [
    (MUSEUM, "策展人赵明说，开幕首周接待观众4.2万人次", [("赵明", "the page names 李婉清 as 策展人")]),
    (DEAL, "迅达总裁刘国华表示网点将增至3200个", [("迅达", "the page says 刘国华 is 顺航总裁")]),
    (DEAL, "华建集团的项目经理是刘国华", [("刘国华", "the page names 王海涛 as 项目经理")]),
    (DEAL, "顺航物流总裁刘国华表示网点将增至3200个", []),      # the page's company, named in full
    (DEAL, "公司总裁刘国华表示网点将增至3200个", []),          # too general to be another company
    (DEAL, "项目经理是张三", [("张三", "the page never names 张三")]),   # a person the page never names
    (DEAL, "顺航董事长刘国华表示网点将增至3200个", [("刘国华", "the page names 刘国华 as 总裁")]),  # another role
    (DEAL, "项目经理是王海涛", []),                             # the page's own
    (MUSEUM, "专家表示，开幕首周接待观众4.2万人次", []),        # a role word and a verb, no name
    # One body is not another for sharing only the county (县图书馆, 县文化馆); a name before 带领 is read too.
    ("县文化馆馆长罗志强说，书架是免费打造的，图书由县图书馆提供。", "县图书馆馆长罗志强表示，引入书店是好事", [("县图书馆", "the page says 罗志强 is 县文化馆馆长")]),
    ("水稻研究所研究员周明远带领团队选育了新品种。", "南江大学教授周明远带领团队选育", [("周明远", "the page names 周明远 as 研究员")]),
    # A deputy is not the head, either way round.
    ("科技馆副馆长周明表示，新展厅明年开放。", "科技馆馆长周明表示，新展厅明年开放", [("周明", "the page names 周明 as 副馆长")]),
    ("科技馆馆长周明表示，新展厅明年开放。", "科技馆副馆长周明表示，新展厅明年开放", [("周明", "the page names 周明 as 馆长")]),
    ("科技馆副馆长周明表示，新展厅明年开放。", "科技馆副馆长周明表示，新展厅明年开放", []),
    # A name followed by 向, 是 or 今年 is read as held too; 师傅 and 指挥 are posts.
    ("瑞丰化学安全总监许文杰兼任厂长。", "村委会主任许文杰向环保部门举报了死鱼情况", [("许文杰", "the page names 许文杰 as 总监")]),
    ("县文旅局局长范志明说，线路尚未确定。", "老陶艺师傅范志明今年72岁", [("范志明", "the page names 范志明 as 局长")]),
    ("学院教授陈雅琴是档案库的学术顾问。", "学院教授陈雅琴是档案库的学术顾问", []),
    # A name followed by a word of staying, leaving or being in charge (留任, 退休, 负责) is read as held too.
    ("原馆长林海已退休，副馆长高远留任，负责日常运营。", "副馆长林海留任，负责日常运营", [("林海", "the page names 高远 as 副馆长")]),
    ("工程由华建集团施工，项目经理王海涛负责现场安全。", "项目经理刘强负责现场安全", [("刘强", "the page never names 刘强")]),
    ("原馆长林海已退休，副馆长高远留任，负责日常运营。", "副馆长高远留任，负责日常运营", []),
])
def test_role_conflicts(page, point, expected):
    found = role_conflicts(point, page, role_holders(page))
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected


@pytest.mark.parametrize("page, point, reasons", [
    (MUSEUM, "开幕首周接待观众不到去年同期", [("不到", "the page says 超过去年同期")]),
    (DEAL, "历年顺航营收为96亿元，比前年增长12%", [("历年", "the page says 去年")]),
    ("Attendance at the fair was more than last year.", "Attendance at the fair was less than last year.",
     [("less than", "the page says more than last year")]),
    # A number's own quantity word is the number check's: one reason, on the number.
    ("They cut and set more than four thousand blocks by hand.", "The masons cut fewer than four thousand blocks by hand.",
     [("four thousand", "the page says more than four thousand")]),
    (MUSEUM, "山海科技馆恐龙特展于2025年10月1日开幕", [("山海科技馆", "not in the page")]),
    # A long name held by its end, spelled otherwise before it.
    ("设计由江州古建筑研究院负责。", "设计由河州古建筑研究院负责", [("河州古建筑研究院", "the page names 江州古建筑研究院")]),
    (MUSEUM, "山上科技馆恐龙特展于2025年10月1日开幕", [("上科技馆", "the page names 上海科技馆")]),
    ("The probe circles the Earth 14 times a day and carries six instruments.",
     "Circles Earth 14 times a day", []),
    # Whose count, whose warning, who runs it: the page gives the work to another body it names.
    (STORM, "据东州市应急管理局初步统计，台风造成约36万人受灾", [("东州市应急管理局", "the page names 省应急管理厅 for 统计")]),
    (STORM, "省气象台在9月15日发布了台风红色预警", [("省气象台", "the page names 东州市应急管理局 for 发布")]),
    (STORM, "公园日常管理由西岭区林业和园林局负责", [("西岭区林业和园林局", "the page names 西岭区园林绿化服务中心 for 管理")]),
    (STORM, "据省应急管理厅初步统计，台风造成约36万人受灾", []),
    # A body named without its kind is a body when the point gives it work: the page must name it.
    (LIFT, "电梯设备由东丰电梯与日立电梯联合提供", [("日立电梯", "the page never names 日立电梯")]),
    (LIFT, "项目由南湖区旧改办公室负责审批", [("南湖区旧改办公室", "the page never names 南湖区旧改办公室")]),
    (LIFT, "电梯设备由东丰电梯提供", []),
    # Two clubs are alike only in their kind: whose general manager 韩明 is, by the names before it.
    (CLUBS, "湖滨体育俱乐部总经理韩明表示，俱乐部今年的投入不到500万元",
     [("湖滨体育俱乐部", "the page says 韩明 is 江州银河俱乐部总经理")]),
    (CLUBS, "江州银河俱乐部总经理韩明表示，俱乐部今年的投入不到500万元", []),
    # The name first, the body and role after: "…是…的研究员".
    ("林晓薇是东滨农业科学院水稻研究所的研究员。周明远是南江大学的教授。", "周明远是东滨农业科学院水稻研究所的研究员",
     [("周明远", "the page names 林晓薇 as 研究员")]),
    # Where an event took place, and who collects what.
    (FINAL, "名人战决赛在江城棋院结束", [("江城棋院", "the page names 江城国际会议中心 for 结束")]),
    (FINAL, "名人战决赛在江城国际会议中心结束", []),
    (FINAL, "旧衣物由青河市红十字会统一清运", [("青河市红十字会", "not in the page")]),
    # A person's work, named after their role; a tech company is a kind of body.
    ("建筑师林托马斯设计了玻璃屋顶。馆长奥尔森表示，图书馆没有移除任何图书。", "新阅览室由奥尔森设计",
     [("奥尔森", "the page names 林托马斯 for 设计")]),
    ("2022年，研究院与云峰科技签订了算力协议。", "研究院与星河科技签订了算力协议", [("星河科技", "not in the page")]),
    ("2022年，研究院与云峰科技签订了算力协议。", "研究院与云峰科技签订了算力协议", []),
    # Who passed a law, who carries it out.
    (LAW, "条例于今年3月26日经市城市管理局表决通过", [("市城市管理局", "the page names 市人大常委会 for 通过")]),
    (LAW, "条例由市人大常委会负责组织实施", [("市人大常委会", "the page names 市城市管理局 for 实施")]),
    (LAW, "条例经市人大常委会表决通过，由市城市管理局负责组织实施", []),
    # Who checks, who pays a subsidy: the page's body for the same work.
    ("食堂的菜品由区疾控中心每月抽检一次，老人餐的差额由区民政局补贴。", "食堂的菜品由区民政局每月抽检一次",
     [("区民政局", "the page names 区疾控中心 for 抽检")]),
    ("食堂的菜品由区疾控中心每月抽检一次，老人餐的差额由区民政局补贴。", "老人餐的差额由区民政局补贴", []),
    # "<work> 则/也 由 <body> 完成/承担" names who did the work too.
    ("纸张检测由南州大学化学学院完成，修复则由省图书馆古籍修复中心负责。", "修复则由南州大学化学学院完成",
     [("南州大学化学学院", "the page names 省图书馆古籍修复中心 for 修复")]),
    # A club is a kind of body: its name must be the page's (河滨 for 湖滨).
    (CLUBS, "河滨俱乐部将为周雨桐配备专门的体能教练", [("河滨俱乐部", "not in the page")]),
    (CLUBS, "江州银河俱乐部将为周雨桐配备专门的体能教练", []),
    # A team is a kind of body too; a run of words before its name, or its traditional form, is still the page's.
    (TEAMS, "石涛队主教练郭振宇赛后说，球队打出了水平", [("石涛队", "not in the page")]),
    (TEAMS, "精雄鲨队外援马库斯·贝尔得到28分", [("精雄鲨队", "not in the page")]),
    (TEAMS, "郭振宇接手时猛虎队战绩为8胜12负", []),
    (TEAMS, "江北猛虎隊主教练郭振宇赛后说，球队打出了水平", []),
    (TEAMS, "这支球队建队二十三年来首次夺冠", []),
    # a name followed by a denial or a time word still holds its role; a team's coach is its own
    ("重开当天，县长刘卫东并未出席，到场的是副县长王静。", "重开当天，副县长刘卫东并未出席，到场的是县长王静",
     [("刘卫东", "the page names 王静 as 副县长"), ("王静", "the page names 刘卫东 as 县长")]),
    (TEAMS, "猛虎队主教练王永刚赛后说，球队打出了水平", [("猛虎队", "the page says 王永刚 is 鲸鲨队主教练")]),
    # a vet is a role; a name before 出席 is read with its role
    ("饲养员张伟已经照顾安安14年。", "兽医张伟已经照顾安安14年", [("张伟", "the page names 张伟 as 饲养员")]),
    ("东港市副市长周建平在贯通仪式上说，隧道建成后出行将更加便利。", "东港市市长李国强出席了贯通仪式",
     [("李国强", "the page never names 李国强")]),
    # a caterer (餐饮) is a kind of body: 厅丰餐饮 is the page's 禾丰餐饮 respelled
    ("由街道主办、民营企业禾丰餐饮公司承办的社区食堂迎来开业一周年。禾丰餐饮不需要支付房租。", "厅丰餐饮不需要支付房租",
     [("厅丰餐饮", "not in the page")]),
    # 设计所 is another kind of body than the page's 设计院
    ("线路由铁路设计集团第四勘察设计院设计，中铁东方建设集团负责施工。", "线路由铁路设计集团第四勘察设计所设计",
     [("勘察设计所", "not in the page")]),
    # any work "<work>由<body>承担" names who did it; a long body's name (fourteen characters before its kind)
    ("安安将迁往西双版纳亚洲象救助繁育中心。此次运输由昆明滇通物流公司承担。", "此次运输由西双版纳亚洲象救助繁育中心承担",
     [("西双版纳亚洲象救助繁育中心", "the page names 昆明滇通物流公司 for 运输")]),
    ("此次运输由昆明滇通物流公司承担，全程约2300公里。", "此次运输由昆明滇通物流公司承担", []),
    # a joint work: each partner the point names must be one of the page's partners for it
    ("改造费用约180万元，由区民政局和街道共同承担。禾丰餐饮负责经营。", "改造费用由区民政局和禾丰餐饮共同承担",
     [("禾丰餐饮", "the page names 区民政局和街道 for 承担")]),
    ("改造费用约180万元，由区民政局和街道共同承担。禾丰餐饮负责经营。", "改造费用由街道和区民政局共同承担", []),
    ("作品由博物馆和青州市非遗保护中心共同挑选。展览由青州市文化和旅游局主办。",
     "作品由博物馆和青州市文化和旅游局共同挑选", [("青州市文化和旅游局", "the page names 博物馆和青州市非遗保护中心 for 挑选")]),
    # a body's short form, its characters in order before its kind, is the page's; a name stops at a word of going
    ("安安将迁往西双版纳亚洲象救助繁育中心。", "安安将前往救助中心", []),
    ("安安将迁往西双版纳亚洲象救助繁育中心。", "安安将前往云南救助中心", [("云南救助中心", "not in the page")]),
    # a place is not shortened so: 埃斯特比河 is not the page's 维尔河 in 埃斯特比
    ("埃斯特比维尔河上的石桥重新开放。", "埃斯特比河上的石桥重新开放了", [("埃斯特比河", "not in the page")]),
])
def test_grounding_names_the_failed_fact(page, point, reasons):
    (g,) = ground_points(f"- {point}", page)
    assert [(r["span"], r["reason"]) for r in g["reasons"]] == reasons
    assert g["supported"] is (not reasons)


def test_roles_said_with_the_name_first_or_by_whom_they_are_held():
    page = "此次修缮由该院研究员吴志刚担任总设计师，副总设计师为市规划院高级工程师郑秀英。"
    assert [h[:2] for h in role_holders(page)] == [("研究员", "吴志刚"), ("总设计师", "吴志刚"),
                                                  ("工程师", "郑秀英"), ("副总设计师", "郑秀英")]
    assert [h[:2] for h in role_holders("郑秀英担任总设计师，吴志刚为副总设计师。")] == [
        ("总设计师", "郑秀英"), ("副总设计师", "吴志刚")]
    assert [h[:2] for h in role_holders("评委会主席由省博物馆馆长罗立群担任。")] == [("馆长", "罗立群"), ("主席", "罗立群")]
    assert [h[:2] + (h[4],) for h in role_holders("项目负责人、高级工程师江海说，工期约两年。")] == [
        ("工程师", "江海", "高级"), ("负责人", "江海", "项目")]
    assert [h[:2] + (h[4],) for h in role_holders("江海是市规划院副院长。", 8)] == [("副院长", "江海", "市规划院")]
    # a role taken by a person named after the one they held
    assert [h[:2] for h in role_holders("原师范学院院长林秋雁任常务副校长，分管本科教学。")] == [("副校长", "林秋雁")]


@pytest.mark.parametrize("point, expected", [
    ("郑秀英担任总设计师，吴志刚为副总设计师。", [("郑秀英", "the page names 吴志刚 as 总设计师"),
                                              ("吴志刚", "the page names 郑秀英 as 副总设计师")]),
    ("总设计师由郑秀英担任。", [("郑秀英", "the page names 吴志刚 as 总设计师")]),
    ("吴志刚担任总设计师，郑秀英为副总设计师。", []),
    # a role held beside another (兼任), and a family name (高) that also begins common words: 由…兼任 marks a person
    ("新任厂长由规划院副院长高志远兼任。", [("高志远", "the page names 许文杰 as 厂长")]),
    ("新任厂长由安全总监王立新兼任。", [("王立新", "the page never names 王立新")]),
    ("新任厂长由安全总监许文杰兼任。", []),
])
def test_a_role_said_name_first_is_checked_as_the_page_gives_it(point, expected):
    page = ("此次修缮由该院研究员吴志刚担任总设计师，副总设计师为市规划院高级工程师郑秀英。新任厂长由安全总监许文杰兼任，"
            "规划院副院长高志远出席。")
    found = role_conflicts(point, page, role_holders(page))
    assert [(point[s:e], reason) for (s, e), (reason, _) in found] == expected


def test_work_given_by_whom_a_body_supplies_or_pays_it():
    page = "经费约350万元，由省文物局拨付。生产线由克劳森自动化设计，电池则由本地的恒能电池公司供应。"
    claims = work_claims(page)
    assert [(work, org) for work, org, _ in claims] == [("拨付", "省文物局"), ("设计", "克劳森自动化"), ("供应", "恒能电池公司")]
    point = "电池由克劳森自动化供应，经费由省文物局拨付。"
    assert [(point[s:e], reason) for (s, e), (reason, _) in work_conflicts(point, page, claims)] == [
        ("克劳森自动化", "the page names 恒能电池公司 for 供应")]


def test_work_given_to_a_foreign_body_to_a_team_or_handed_over():
    page = ("新的数字投影系统由德国的星辰光学公司提供，安装工作则由国内的华天科技完成。修复的设计由省美术学院林晓峰教授的团队承担，"
            "施工则交给本地的青溪建工公司。")
    claims = work_claims(page)
    assert {(work, org) for work, org, _ in claims} == {
        ("提供", "星辰光学公司"), ("施工", "青溪建工公司"), ("安装", "华天科技"), ("设计", "省美术学院林晓峰教授的团队")}

    def reasons(point):
        return [(point[s:e], reason) for (s, e), (reason, _) in work_conflicts(point, page, claims)]

    assert reasons("数字投影系统由华天科技提供") == [("华天科技", "the page names 星辰光学公司 for 提供")]
    assert reasons("青溪建工公司负责设计") == [("青溪建工公司", "the page names 省美术学院林晓峰教授的团队 for 设计")]
    assert reasons("投影系统由星辰光学公司提供，华天科技负责安装，青溪建工公司负责施工") == []


def test_where_a_sum_came_from():
    page = "项目经费约86万元，其中60万元来自国家古籍保护中心的专项资金，其余由省图书馆自筹。"
    claims = work_claims(page)
    assert [(work, org) for work, org, _ in claims] == [("60万元", "国家古籍保护中心")]
    point = "项目经费中60万元来自南州大学的专项资金"
    assert [(point[s:e], reason) for (s, e), (reason, _) in work_conflicts(point, page + "南州大学负责检测。", claims)] == [
        ("南州大学", "the page names 国家古籍保护中心 for 60万元")]
    assert work_conflicts("60万元来自国家古籍保护中心", page, claims) == []


def test_who_approved_or_announced_it():
    page = "省教育厅于2025年6月18日批准了两校的合并方案。市生态环境局于8月5日公布处罚决定。"
    claims = work_claims(page)
    assert [(work, org) for work, org, _ in claims] == [("批准", "省教育厅"), ("公布", "市生态环境局")]

    def reasons(point):
        return [(point[s:e], reason) for (s, e), (reason, _) in work_conflicts(point, page, claims)]

    # a body the page never names, by the page's own doer of that work, whatever its length
    assert reasons("合并方案由教育部于2025年6月18日批准") == [("教育部", "the page names 省教育厅 for 批准")]
    assert reasons("处罚决定由市生态环境局公布") == []
    # a run of characters holding a time or an aspect word is no body's name
    assert work_claims("南湖区今年已批准加装电梯申请56份，标本将送往日本做成分检测") == []
