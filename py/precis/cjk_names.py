"""Chinese names as the page spells them and the roles it gives them. Pure stdlib.

Two errors small models make in Chinese that a check of "is this fact in the page" misses,
because every character of the point is somewhere in the page:

- a name one character off: 山上科技馆 for the page's 上海科技馆 (the point's "科技馆" is the
  page's, the character before it is not);
- a person given another's role or organisation: 策展人赵明 where the page's curator is 李婉清
  and 赵明 its director; 迅达总裁刘国华 where 刘国华 is 顺航's president;
- an organisation given another's work: 设计由恒远建设集团负责 where the page's designer is
  江州古建筑研究院 and 恒远建设集团 its builder;
- a kind of body the page never names: 研究所 (an institute) where the page's body is the
  省文物考古研究院 (an academy).

The grounding check (precis.grounding) asks these after its own fact and relation checks.
"""

from __future__ import annotations

import re
from typing import Optional

from precis.facts import CJK_TYPE_SUFFIXES
from precis.numbers import CJK_NUMERAL_CHARS
from precis.scripts import HAN
from precis.text_units import CJK_FUNCTION_CHARS

# A character before a name that qualifies or links it rather than spells it: "该科技馆", "新馆", "原局长",
# "由江州…", "但市城市管理局", "到东院区", "据江州银河俱乐部总经理".
_QUALIFIERS = frozenset("该該此本每各全新老旧舊原前后後首大小其这這那另座家所条條位名由但且即则則再才仍均亦到据據")
_IDEOGRAPH = re.compile(f"[{HAN}]")
_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc]")


def _spelling_char(ch: str) -> bool:
    """A character that can be part of a name's spelling: an ideograph that is no function word,
    numeral or qualifier."""
    return bool(_IDEOGRAPH.fullmatch(ch)) and ch not in CJK_FUNCTION_CHARS and ch not in CJK_NUMERAL_CHARS \
        and ch not in _QUALIFIERS


def _spelled_from(text: str, at: int, most: int, kana: bool = False) -> int:
    """Where the run of up to `most` spelling characters (and katakana, with `kana`) ending at text[at] starts:
    how far left a name reaches before the character at `at`."""
    start = at
    while start > 0 and at - start < most and (_spelling_char(text[start - 1])
                                               or kana and _KATAKANA.fullmatch(text[start - 1])):
        start -= 1
    return start


# Where a long CJK name starts is not marked (说新线不停靠青石机场): its last CJK_NAME_TAIL characters hold it,
# and page_spelling then asks whether the page writes the characters before them otherwise (河州古建筑研究院
# for 江州古建筑研究院).
CJK_NAME_TAIL = 6


def holds_name(name: str, text: str) -> bool:
    """Whether `text` writes the CJK name, or its last CJK_NAME_TAIL characters when it is longer. A team (队, the
    one suffix a run of words before it often reaches: 郭振宇接手时猛虎队) is held by a name of at least two
    characters that the text writes at its end, three characters or more into the run (not 精雄鲨队 for 东海鲸鲨队)."""
    if name in text or (len(name) > CJK_NAME_TAIL and name[-CJK_NAME_TAIL:] in text):
        return True
    if name[-1] not in "队隊":
        return False
    name, text = name.replace("隊", "队"), text.replace("隊", "队")   # a model writing the traditional form
    return name in text or any(name[-k:] in text for k in range(3, len(name) - 2))


# How many characters before its kind a page's name may run for a point's short form of it to be read against.
_ABBREVIATED_REACH = 12
# Kinds of body a name is shortened with (中心, 公司, 研究所), not kinds of place (河, 市: 埃斯特比河 is no short form).
_CJK_KIND_END = re.compile("(?:" + "|".join(sorted((x for x in CJK_TYPE_SUFFIXES if len(x) > 1), key=len,
                                                   reverse=True)) + ")$")


def abbreviates(name: str, page: str) -> bool:
    """Whether a CJK name is the short form of one the page gives: its characters before its kind, in order, among
    those of a page name with that kind (救助中心 for 西双版纳亚洲象救助繁育中心). Not a respelling (山海科技馆 for
    上海科技馆: 山 is nowhere in 上海)."""
    kind = _CJK_KIND_END.search(name)
    head = name[:kind.start()] if kind else ""
    if len(head) < 2:
        return False
    at = page.find(kind.group(0))
    while at >= 0:
        start = _spelled_from(page, at, _ABBREVIATED_REACH)
        chars = iter(page[start:at])
        if start < at and all(ch in chars for ch in head):   # each found after the one before it
            return True
        at = page.find(kind.group(0), at + 1)
    return False


def page_spelling(point: str, start: int, end: int, page: str) -> Optional[str]:
    """The page's spelling of the name point[start:end] when the point writes it with another
    character in front ("山上科技馆": "上海科技馆"); None when the point's spelling is the page's, when
    a qualifier stands in front (该科技馆), or when the page never writes the name with anything in front."""
    name = point[start:end]
    if name not in page:
        return _page_name_ending(name, page)
    if start == 0 or not _spelling_char(point[start - 1]):
        return None
    if point[start - 1] + name in page:
        return None
    at, longer = page.find(name), None
    while at >= 0:
        head = _spelled_from(page, at, 2)
        if head < at:   # a bare mention later (科技馆馆长) is the same place, named in full before
            longer = longer or page[head:at + len(name)]
        at = page.find(name, at + 1)
    return longer


def _page_name_ending(name: str, page: str) -> Optional[str]:
    """The page's name ending as `name` ends, spelled otherwise before that (江州古建筑研究院 for the point's
    河州古建筑研究院): the longest end of `name` the page holds, and as many spelling characters before it
    in the page as the point writes there. None when the page writes no name there (青石板路 after 的), or
    writes something else there than a respelling (新线不停靠青石机场 against the point's 新线将停靠: a verb)."""
    for k in range(len(name) - 1, 2, -1):
        tail, head = name[-k:], len(name) - k
        at = page.find(tail)
        if at < 0:
            continue
        while at >= 0:
            start = _spelled_from(page, at, head, kana=True)
            if start < at and _respelled(name[:head], page[start:at]):
                return page[start:at + k]
            at = page.find(tail, at + 1)
        return None
    return None


def _respelled(mine: str, theirs: str) -> bool:
    """Whether `theirs` is `mine` spelled otherwise: as long, and one character off (河州/江州) unless both are
    as short as a place's own name (北京/上海)."""
    if len(mine) != len(theirs) or mine == theirs:
        return False
    return len(mine) <= 2 or sum(a != b for a, b in zip(mine, theirs)) == 1


# ---- who holds which role ------------------------------------------------------------------

# Longest first, so 项目经理 is read before 经理.
ROLE_WORDS = tuple(sorted("""
项目经理 总经理 副总经理 经理 总裁 副总裁 董事长 董事 首席执行官 创始人 联合创始人 策展人 发言人 负责人 主持人
局长 副局长 会长 馆长 镇长 市长 副市长 县长 省长 校长 院长 副院长 厂长 所长 部长 处长 村长 队长 主任 副主任
主席 总监 台长 副台长 园长 副园长 站长 行长 社长 团长 秘书长 理事长 书记 董事会秘书
总工程师 工程师 教授 副教授 研究员 律师 导演 设计师 总设计师 建筑师 顾问 主编 总编辑 编辑 记者
兽医 教练 主教练 助理教练 选手 运动员 球员 队员 后卫 前锋 中锋 外援 门将 守门员 领队 裁判 裁判长 船长 机长 飞行员 专家 学者 科学家 院士 医生 医师 饲养员
预报员 首席预报员 讲师 作家 演员 代表 居民代表 化学家 物理学家 生物学家 棋手 裁判员 馆员 园艺师
店员 店长 店主 老板 志愿者 员工 司机 护士 教师 老师 厨师 经营者 创办人 修复师 讲解员 技术员 列车长 乘务员 快递员
网格员 社工 村民 农民 市民 学生 指挥 师傅 歌手 传承人 研究生
""".split(), key=len, reverse=True))
# The commonest Chinese family names, less those that also begin common words after a role word (方面, 任职,
# 向记者, 何时, 高度, 余下, 付款, 万名, 曾经): a role word followed by one of these and a character or two names a
# person (专家王志刚), whom the page can then be asked whether it names at all.
FAMILY_NAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林罗郑梁谢宋唐许韩冯邓曹彭肖田董袁潘蒋蔡杜叶程苏魏吕丁沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤")
_NAME_FIRST_STOPS = CJK_FUNCTION_CHARS | frozenset("此曾也表说將将已今去还還均亦称稱认認指透介对對")
# After the name: a verb of saying, a function word, punctuation or the end.
_AFTER_NAME = ("(?=表示|说|說|称|稱|则|認為|认为|在|的|担任|兼任|接任|將|将|指出|透露|介绍|此前|曾|也|对|對|和|与|與|带领|帶領|率领|向|是|今年|现年|"
               "率領|领导|領導|主持|参与|參與|提出|回忆|回憶|强调|強調|坦言|并|並|未|没|沒|不|已|于|於|出席|到场|到場|致辞|致辭|"
               "赛后|賽後|会后|會後|随后|隨後|日前|近日|当天|當天|当时|當時|上午|下午|晚上|留任|离任|離任|卸任|退休|辞职|辭職|"
               "负责|負責|分管|主管|[，,。、；;！？!?\\s]|$)")
_HOLDER = re.compile(f"(?P<role>{'|'.join(ROLE_WORDS)})(?:是|为|為)?(?P<name>[{HAN}]{{2,3}}?){_AFTER_NAME}")
# How far before a role its body is read (江州银河俱乐部总经理): long enough for a body's name and its kind.
BODY_REACH = 8
# The name first: "林晓薇是…研究所的研究员", the whole clause saying whose officer the person is.
_HOLDER_AFTER = re.compile(f"(?<![{HAN}])(?P<name>[{HAN}]{{2,3}})(?:是|为|為)(?P<body>[{HAN}]{{2,16}}?)的"
                           f"(?P<role>{'|'.join(ROLE_WORDS)})(?=[，,。；;、]|$)")
# The role said of a named person in other orders: 林晓雯担任领队, 陈立新是集团副总经理 (the name first, the role ending the
# clause, maybe after another role the person held: 院长林秋雁任常务副校长); 评委会主席由协会副主席吴静担任 and
# 由研究员周明远担任领队 (by whom a role is held); 副领队为博物馆馆长林晓雯 (the role, then the person, titles between);
# 项目负责人、高级工程师马永强 (two roles of one person).
# Where the words around already mark a person (由…担任, 为…。), the family names that may begin other words count too.
_FAMILY = f"[{''.join(sorted(FAMILY_NAMES | frozenset('方任向何高余付万曾')))}]"
_ROLE = f"(?P<role>{'|'.join(ROLE_WORDS)})"
_PERSON = f"(?P<name>{_FAMILY}[{HAN}]{{1,2}}?)"
_CLAUSE_PUNCT = "[，,。；;、！？!?]|$"
_CLAUSE_END = f"(?={_CLAUSE_PUNCT})"
# Taking a role: 担任, and holding it beside another (兼任) or after someone (接任, 继任).
_TAKES = "担任|擔任|出任|兼任|接任|继任|繼任"
_HELD_AS = (
    re.compile(f"(?:(?<![{HAN}])|(?<=由)|(?<=[长長人师師员員监監理])){_PERSON}(?:是|为|為|{_TAKES}|任)(?P<body>[{HAN}]{{0,16}}?)的?{_ROLE}"
               f"{_CLAUSE_END}"),
    re.compile(f"由(?P<between>[{HAN}]{{0,16}}?){_PERSON}(?:{_TAKES})(?P<body>[{HAN}]{{0,16}}?)的?{_ROLE}{_CLAUSE_END}"),
    re.compile(f"{_ROLE}由(?P<between>[{HAN}]{{0,16}}?){_PERSON}(?:{_TAKES}){_CLAUSE_END}"),
    re.compile(f"{_ROLE}(?:为|為|是)(?P<between>[{HAN}]{{0,16}}?){_PERSON}{_CLAUSE_END}"),
    re.compile(f"{_ROLE}、(?P<between>[{HAN}]{{0,8}}?)(?:{'|'.join(ROLE_WORDS)}){_PERSON}(?=说|說|表示|介绍|介紹|称|稱|{_CLAUSE_PUNCT})"),
)
# Words too general to name the organisation a role belongs to.
_GENERIC_BODIES = frozenset("公司 集团 企业 机构 部门 协会 学校 医院 政府 项目 工程 团队 方面 官方".split())


def role_holders(text: str, reach: int = 4) -> list:
    """[(role, name, start, end, body)] of every "role name" of `text` (镇长安娜, 项目经理是王海涛): the
    span is the name's, body the up to `reach` name characters just before the role (顺航 in
    顺航总裁刘国华, 华建集团 in 华建集团的项目经理), "" when there are none."""
    out = []
    for m in _HOLDER.finditer(text):
        name = m.group("name")
        if name[0] in _NAME_FIRST_STOPS:
            continue
        role, tail = m.group("role"), m.start()
        if text[max(0, tail - 1):tail] == "副" and not role.startswith("副"):
            role, tail = "副" + role, tail - 1      # a deputy (副馆长) is not the head (馆长)
        tail = tail - 1 if text[max(0, tail - 1):tail] == "的" else tail  # 华建集团的项目经理
        head = _spelled_from(text, tail, reach)
        out.append((role, name, m.start("name"), m.end("name"), text[head:tail]))
    for m in _HOLDER_AFTER.finditer(text):   # 林晓薇是东滨农业科学院水稻研究所的研究员
        if m.group("name")[0] in FAMILY_NAMES:
            out.append((m.group("role"), m.group("name"), m.start("name"), m.end("name"), m.group("body")[-reach:]))
    for pattern in _HELD_AS:
        for m in pattern.finditer(text):
            role, start = m.group("role"), m.start("role")
            if text[max(0, start - 1):start] == "副" and not role.startswith("副"):
                role, start = "副" + role, start - 1      # 为副领队, 研究所副所长: the deputy
            if "body" in m.groupdict():
                body = text[m.start("body"):start][-reach:]
            else:   # 评委会主席由…: the body just before the role
                body = text[_spelled_from(text, start, reach):start]
            held = (role, m.group("name"), m.start("name"), m.end("name"))
            if not any(h[:4] == held for h in out):
                out.append((*held, body))
    return sorted(out, key=lambda h: h[2])


def role_conflicts(point: str, page: str, page_holders: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each person the point gives a role the page gives
    to someone else ("the page names 李婉清 as 策展人"), or places under another organisation the
    page also names ("the page says 刘国华 is 顺航总裁"), or who has a family name and is nowhere in the page
    ("the page never names 王志刚": a person the summary made up); evidence: what the page writes there."""
    out = []
    for role, name, start, end, body in role_holders(point, BODY_REACH):
        if name not in page:
            never = ((start, end), (f"the page never names {name}", ""))
            if name[0] in FAMILY_NAMES and never not in out:   # once, however many roles the point gives them
                out.append(never)
            continue
        same_role = [h for h in page_holders if h[0] == role]
        mine = [h for h in same_role if h[1] == name]
        if same_role and not mine:
            out.append(((start, end), (f"the page names {same_role[0][1]} as {role}", same_role[0][1])))
            continue
        their_roles = [h[0] for h in page_holders if h[1] == name]
        if not same_role and their_roles and not _said_together(name, role, page):
            # 董事长韩明 where the page's 韩明 is 总经理, and nobody is 董事长
            out.append(((start, end), (f"the page names {name} as {their_roles[0]}", their_roles[0] + name)))
            continue
        page_bodies = [h[4] for h in mine if h[4]]
        # The point's organisation: the longest end of its body the page also names (收购后迅达: 迅达).
        body = next((body[-k:] for k in range(len(body), 1, -1) if body[-k:] in page), "")
        if body and page_bodies and body not in _GENERIC_BODIES \
                and not any(_same_body(body, b) for b in page_bodies):
            at = point.rfind(body, 0, start)
            out.append(((at, at + len(body)), (f"the page says {name} is {page_bodies[0]}{role}",
                                               page_bodies[0] + role)))
    return out


def _said_together(name: str, role: str, page: str) -> bool:
    """Whether a sentence of the page writes both the name and the role word (教练 inside 主教练 too, but not
    馆长 inside 副馆长: a deputy is not the head)."""
    said = re.compile(re.escape(role) if role.startswith("副") else f"(?<!副){re.escape(role)}")
    return any(name in sentence and said.search(sentence) for sentence in re.split("[。！？!?\n]", page))


def _same_body(a: str, b: str) -> bool:
    """Two bodies alike in name: what they are called apart from their kind shares two characters (湖滨体育俱乐部
    and 湖滨俱乐部; not 湖滨体育俱乐部 and 江州银河俱乐部, alike only in being clubs)."""
    core_a, core_b = _core(a), _core(b)
    return _share_bigram(core_a, core_b) if core_a and core_b else _share_bigram(a, b)


def _core(body: str) -> str:
    """What a body is called apart from its kind; where that leaves one character (县 of 县图书馆), the name less its
    last character, so that 县图书馆 and 县文化馆 are not one body for sharing 县."""
    core = _BODY_KIND_END.sub("", body)
    return core if len(core) >= 2 or len(body) < 3 else body[:-1]


def _share_bigram(a: str, b: str) -> bool:
    return any(a[i:i + 2] in b for i in range(len(a) - 1)) or (len(a) == 1 and a in b)


# ---- which organisation did which work ------------------------------------------------------

# The work a body does for a project, as the page names it (设计由…负责, 施工方为…, 由…承办).
WORK_WORDS = tuple(sorted("""
设计 施工 承建 监理 运营 经营 主办 承办 协办 赞助 出资 发掘 研发 开发 生产 制造 修建 修复 建造 管理
提供 维护 维保 培育 选育 实施 承担 审批 清运 收运 回收
抽检 检测 检查 补贴 资助 打造 捐赠 捐建 投资 装修 改造 策划 编制 鉴定 认证 拍摄 出品 出版 发行 印刷 验收 评估
创作 挑选 评选 拨付 供应 供货 公布 发布 批准
""".split(), key=len, reverse=True))
_WORK = "|".join(WORK_WORDS)
_COUNT = "统计|統計|调查|調查|测算|測算|估算|监测|監測"
_HOW_OFTEN = "每[日天周月年]|每季度|定期|全程"   # 由疾控中心每月抽检: between the body and its work
_ON_A_DATE = "(?:于|於|在)[0-9０-９年月日底初中旬上下]{2,12}"   # 由教育部于2025年6月18日批准
_JOINT = re.compile("[与與和及、]")
_LOCAL = f"本地|当地|當地|本市|本省|国内|國內|海外|[{HAN}]{{1,2}}[国國]"   # 由本地的恒能电池公司供应, 由德国的星辰光学公司提供: where
# the body is, before its name
_ANNOUNCE = "发布|發布|公布"
_SUM = "(?:\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百千]+)(?:万|萬|亿|億)?元"
# An organisation: up to ten name characters and the kind of body it is (恒远建设集团, 中南建筑设计院).
_ORG_KINDS = "|".join(sorted((x for x in CJK_TYPE_SUFFIXES if len(x) > 1 or x in "院局厂馆"), key=len, reverse=True))
_ORG = f"[{HAN}]{{1,10}}?(?:{_ORG_KINDS})"
_KINDED = re.compile(f"(?:{_ORG_KINDS})$")
# A body named without its kind (东丰电梯, 海天电器), where the words around mark where it starts and ends.
_NAME_CHAR = f"(?:(?![由的在和与與及是为為])[{HAN}])"
# Ended by its kind, a name may hold 和 (西岭区林业和园林局); without one, 和 parts two bodies.
_KIND_NAME_CHAR = f"(?:(?![由的在与與及是为為])[{HAN}])"
_BODY_RUN = f"(?:{_KIND_NAME_CHAR}{{1,14}}?(?:{_ORG_KINDS})|{_NAME_CHAR}{{2,12}}?)"   # a kind of body ends it first
_WORK_CLAIMS = (
    # 施工方为恒远建设集团, 运营单位是…
    re.compile(f"(?P<work>{_WORK})(?:工作|任务)?(?:方|单位|商)?(?:为|為|是)(?P<org>{_ORG})(?=负责|負責|[，,。；;、]|$|和|与|與)"),
    # 设计由江州古建筑研究院负责, 维保由东丰电梯负责, 修复则由南州大学化学学院完成; any work so given (此次运输由…承担)
    # (设计由省美术学院林晓峰教授的团队承担: a person's team)
    re.compile(f"(?P<work>{_WORK}|[{HAN}]{{2}})(?:工作|任务)?(?:方|单位)?(?:则|則|也|均|都)?由(?:(?:{_LOCAL})的)?"
               f"(?P<org>{_BODY_RUN}的?(?:团队|團隊|课题组|課題組)|{_BODY_RUN})(?:负责|負責|完成|承担|承擔)"),
    # 施工则交给本地的青溪建工公司: a work handed to a body
    re.compile(f"(?P<work>{_WORK})(?:工作|任务)?(?:则|則|也|均|都)?(?:交给|交給|交由)(?:(?:{_LOCAL})的)?(?P<org>{_BODY_RUN})"
               f"(?=[，,。；;]|$)"),
    # 由中南建筑设计院设计, 由东丰电梯提供, 由某公司负责运营, 由市城市管理局负责组织实施
    re.compile(f"由(?:(?:{_LOCAL})的)?(?P<org>{_BODY_RUN})(?:{_HOW_OFTEN}|{_ON_A_DATE})?(?:负责|負責|联合|聯合|共同|统一|統一)?(?:组织|組織)?(?P<work>{_WORK})"),
    # 经市人大常委会表决通过: who passed or approved it
    re.compile(f"经(?P<org>{_BODY_RUN})(?:审议|審議|表决|表決|批准)(?P<work>通过|通過)"),
    # 恒远建设集团负责施工, ，东丰电梯负责维保
    re.compile(f"(?:(?<=^)|(?<=[，,。；;、\\s]))(?P<org>{_BODY_RUN})(?:负责|負責|承担|承擔)(?P<work>{_WORK})"),
    # ，江城棋院承办。: a clause of the body and its work alone
    re.compile(f"(?:(?<=^)|(?<=[，,。；;、\\s]))(?P<org>{_BODY_RUN})(?:负责|負責)?(?P<work>{_WORK})(?=[，,。；;]|$)"),
    # 由水稻研究所与南江种业联合培育: bodies that did the work together
    re.compile(f"由(?P<org>{_BODY_RUN}(?:[与與和及]{_BODY_RUN})+)(?:联合|聯合|共同)(?P<work>{_WORK})"),
    # 决赛在江城国际会议中心结束: where an event took place (the page's place for the same word)
    re.compile(f"在(?P<org>{_KIND_NAME_CHAR}{{1,10}}?(?:{_ORG_KINDS}))(?P<work>举行|舉行|举办|舉辦|结束|結束|开幕|開幕|闭幕|閉幕)"),
    # 建筑师林托马斯设计了玻璃屋顶: a person's work, the person named after their role
    re.compile(f"(?:{'|'.join(ROLE_WORDS)})(?P<org>[{HAN}]{{2,4}}?)(?P<work>{_WORK})了"),
    # 据省应急管理厅初步统计: whose count a figure is
    re.compile(f"据(?P<org>{_BODY_RUN})(?:初步|最新)?(?P<work>{_COUNT})"),
    # 60万元来自国家古籍保护中心的专项资金: where a sum came from (the sum as written is the work)
    re.compile(f"(?P<work>{_SUM})(?:则|則|都|均|主要)?来自(?P<org>{_BODY_RUN})"),
    # 东州市应急管理局在9月15日发布了…: who issued a warning or announced a decision
    re.compile(f"(?:(?<=^)|(?<=[，,。；;、：:\\s]))(?P<org>{_BODY_RUN})(?:(?:在|于|於)[^，,。；;]{{1,12}}?)?"
               f"(?P<work>{_ANNOUNCE}|批准|批复|批復)"),
)


# Words of time and aspect, which a run of characters before a work word holds only when it is no name.
_NOT_IN_NAMES = re.compile("[已将將曾也还還又都均]|今年|去年|明年|本月|上月|近日|日前|目前")


def work_claims(text: str) -> list:
    """[(work, organisation, (start, end) of the organisation)] of every "organisation did this work" of `text`."""
    out = []
    for pattern in _WORK_CLAIMS:
        for m in pattern.finditer(text):
            org = m.group("org")
            if _NOT_IN_NAMES.search(org):
                continue   # 南湖区今年已批准: a body and when, not a body's name
            trimmed = org.lstrip("".join(CJK_FUNCTION_CHARS) + "由")   # 工程由…: the name starts after 由
            claim = (m.group("work"), trimmed, (m.end("org") - len(trimmed), m.end("org")))
            if claim not in out:   # 恒远建设集团负责施工 is read by two patterns
                out.append(claim)
    return out


def work_conflicts(point: str, page: str, page_claims: list) -> list:
    """[((start, end) in the point, (reason, evidence))] for each organisation the point gives a work the page
    gives to another ("the page names 江州古建筑研究院 for 设计"), or a work the page never speaks of
    (渡轮服务由哈尔登公司运营 where the page does not say who runs the ferry: reason None)."""
    out = []
    for work, org, span in work_claims(point):
        parts = [x for x in _JOINT.split(org) if x]
        missing = [x for x in parts if not holds_name(x, page)]
        doers = [o for w, o, _ in page_claims if w == work]
        if missing:
            # A body named with its kind (青河市红十字会) is the fact check's to flag; one named without it
            # (日立电梯, 南湖区旧改办公室) only a work claim shows to be a body, as does the page's own doer of the work
            # (教育部 where the page's 省教育厅 approved)
            unkinded = [x for x in missing if not _KINDED.search(x) and (len(x) >= 4 or doers)]
            if unkinded:
                at = span[0] + org.find(unkinded[0])
                if len(unkinded[0]) >= 4 or not doers:
                    out.append(((at, at + len(unkinded[0])), (f"the page never names {unkinded[0]}", "")))
                else:
                    out.append(((at, at + len(unkinded[0])), (f"the page names {doers[0]} for {work}", doers[0])))
            continue
        if doers and not any(_same_org(org, o) for o in doers):
            out.append((span, (f"the page names {doers[0]} for {work}", doers[0])))
        elif doers and len(parts) > 1:
            # 由区民政局和禾丰餐饮共同承担 where the page has 由区民政局和街道共同承担: each partner must be the page's
            stranger = next((x for x in _partners(org) if not any(_same_org(x, y) for o in doers for y in _partners(o))),
                            None)
            if stranger:
                at = span[0] + org.find(stranger)
                out.append(((at, at + len(stranger)), (f"the page names {doers[0]} for {work}", doers[0])))
        elif not doers and work not in page:
            out.append((span, (None, "")))   # None: the page does not say this
    return out


_PARTNER = re.compile(f"({_BODY_RUN})(?:[与與和及、]|$)")


def _partners(org: str) -> list:
    """The bodies a joint work names (博物馆和青州市文化和旅游局: 博物馆, 青州市文化和旅游局; a name ended by its kind may
    hold 和); split at every joining word where the bodies cannot be read so."""
    out, at = [], 0
    while at < len(org):
        m = _PARTNER.match(org, at)
        if not m:
            return [x for x in _JOINT.split(org) if x]
        out.append(m.group(1))
        at = m.end()
    return out


def _same_org(a: str, b: str) -> bool:
    """One organisation named in full, by its end (研究院 for 省文物考古研究院) or by its start (华安建设 for
    华安建设工程有限公司); either may list several (A公司和B集团), of which one is enough."""
    if a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a):
        return True
    parts_a, parts_b = _JOINT.split(a), _JOINT.split(b)
    return (len(parts_a) > 1 or len(parts_b) > 1) and \
        any(x and y and (x.endswith(y) or y.endswith(x)) for x in parts_a for y in parts_b)


# ---- kinds of body the page never names -----------------------------------------------------

# The kinds of body a name ends with, two characters or more (研究所, 研究院, 大学, 集团), longest first.
BODY_WORDS = tuple(sorted((x for x in CJK_TYPE_SUFFIXES if len(x) > 1 and _IDEOGRAPH.match(x)), key=len, reverse=True))
_BODY = re.compile("|".join(BODY_WORDS))
_BODY_KIND_END = re.compile(f"(?:{'|'.join(BODY_WORDS)})$")


def body_word_conflicts(point: str, page: str) -> list:
    """[((start, end) in the point, (reason, evidence))] for each kind of body the point names that the page
    never writes (研究所 where the page has only a 研究院): "the page names 省文物考古研究院" when the page names
    a body of a kind spelled alike (研究院 for 研究所), else reason None (not in the page)."""
    out = []
    for m in _BODY.finditer(point):
        word = m.group(0)
        if word in page:
            continue
        kin = next((k for k in BODY_WORDS if k != word and k[0] == word[0] and k in page), None)
        named = None
        if kin:
            at = page.find(kin)
            named = page[_spelled_from(page, at, 8):at + len(kin)]
        out.append(((m.start(), m.end()), (f"the page names {named}" if named else None, named or "")))
    return out
