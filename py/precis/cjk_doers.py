"""Who did it, as a Chinese sentence says it: 研究员周明远随后带领团队…进山调查. Pure stdlib.

A point that gives the deed to another person the page names (王丽萍带领团队六次进山调查) has every word in the page;
only the doer is wrong. A point's clause that opens with a person the page names and a verb names its doer; the
page's clauses that say the same deed (the same verb, most of what the point says after it) name theirs before
the verb. Where every such clause names someone there, and none of them is the point's person, the point gives
the deed to another. A body the page names (辰光新能源, 明溪化工) is a doer as a person is. The English counterpart
is precis.english_doers; the grounding check (precis.grounding) asks both.
"""

from __future__ import annotations

import re

from precis.cjk_names import FAMILY_NAMES, ROLE_WORDS
from precis.scripts import HAN

# Words between the doer and the verb (王丽萍随后带领, 周明远已经完成).
_ADVERBS = re.compile("^(?:随后|隨後|已经|已經|曾经|曾經|先后|先後|亲自|親自|共同|一起|已|将|將|也|曾|还|還|又|再|都|均|则|則)+")
_IDEOGRAPH = re.compile(f"[{HAN}]")
# A clause of Chinese text: a run between punctuation (shared by the Chinese claim checks).
CLAUSE = re.compile(f"[{HAN}A-Za-z0-9·]+")
_ROLE_FIRST = re.compile(f"^(?:{'|'.join(ROLE_WORDS)})")
# Before a party the deed is done with, to or for: 向东澜港集团订购, 与振海重工签订.
_TOWARDS = "向与與和从從对對为為跟同给給"
# Aspect particles that open what follows a verb (订购了12台): no part of the deed.
_ASPECT = "了过過着著"
# Verbs that say who someone is, not what they did (the role checks' work), and a verb too short to tell deeds
# apart.
_NOT_DEEDS = frozenset("是为為表示说說认为認為指出介绍介紹".split())
# How much of what the point says after its verb the page's clause must say after its own: the same deed.
_MIN_SHARED = 2
_MIN_SHARE = 0.5
_VERB = 2


def bigrams(text: str) -> set:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _opening_doer(clause: str, people: list):
    """(person, index where the verb starts) of a clause opening with one of `people` (longest first), its role maybe before
    (研究员周明远), adverbs maybe after, and maybe a party the deed is done with or to (振海重工向东澜港集团订购); None
    otherwise."""
    role = _ROLE_FIRST.match(clause)
    at = role.end() if role else 0
    person = next((p for p in people if clause.startswith(p, at)), None)
    if person is None:
        return None
    at += len(person)
    adverbs = _ADVERBS.match(clause[at:])
    at += adverbs.end() if adverbs else 0
    if clause[at:at + 1] and clause[at] in _TOWARDS:
        partner = next((p for p in people if clause.startswith(p, at + 1)), None)
        at += 1 + len(partner) if partner else 0
    return person, at


def clauses(text: str) -> list:
    """The clauses of a page (runs between punctuation), read once per page."""
    return [m.group(0) for m in CLAUSE.finditer(text)]


_SENTENCE_END = re.compile("[。！？!?\n]")


def sentence_openings(text: str) -> list:
    """For each of clauses(text), the index of the first clause of its sentence: whose opening doer a clause with
    none of its own carries on (东澜港集团于4月8日与振海重工签订合同，订购12台岸桥: 东澜港集团 orders)."""
    out, first, end = [], 0, 0
    for k, m in enumerate(CLAUSE.finditer(text)):
        if k == 0 or _SENTENCE_END.search(text, end, m.start()):
            first = k
        out.append(first)
        end = m.end()
    return out


def doer_conflicts(point: str, page_clauses: list, people: set, openings: list = ()) -> list:
    """[((start, end) of the doer in the point, (reason, evidence))] for each clause of the point opening with a
    person the page names (`people`) whose deed the page's clauses (`page_clauses`: clauses(page); `openings`: their
    sentence_openings) give to another person they name, and never to them."""
    out = []
    if not people or not _IDEOGRAPH.search(point):
        return out
    people = sorted(people, key=len, reverse=True)   # the longest name first: 周明远, not 周明
    for m in CLAUSE.finditer(point):
        clause = m.group(0)
        opening = _opening_doer(clause, people)
        if not opening:
            continue
        person, at = opening
        verb, deed = clause[at:at + _VERB], bigrams(clause[at + _VERB:].lstrip(_ASPECT))
        if len(verb) < _VERB or verb in _NOT_DEEDS or len(deed) < _MIN_SHARED:
            continue
        other = _other_doer(person, verb, deed, page_clauses, people, openings)
        if other:
            start = m.start() + clause.index(person)
            out.append(((start, start + len(person)), (f"the page gives this to {other}", other)))
    return out


# A person's name before 的 and a word of kin or office: the clause's doer is the relative or aide named after it.
_KIN = "(?:堂|表)?(?:弟|兄|哥|姐|妹|儿子|兒子|女儿|女兒|妻子|丈夫|父亲|父親|母亲|母親|秘书|秘書|助理|侄子)"
_OWNER = re.compile(f"[{HAN}]{{2,4}}的(?={_KIN})")
_KIN_NAMED = re.compile(f"的{_KIN}([{''.join(sorted(FAMILY_NAMES))}][{HAN}]{{1,2}})$")


def _other_doer(person: str, verb: str, deed: set, page_clauses: list, people: list, openings: list = ()):
    """The person the page's clauses of the same deed name before its verb (or, where one names no one there and
    opens with its verb, the doer its sentence opens with: `openings`), where they all name someone and none names
    `person`; None otherwise."""
    other = None
    for k, clause in enumerate(page_clauses):
        at = clause.find(verb)
        while at >= 0:
            shared = deed & bigrams(clause[at + _VERB:])
            if len(shared) >= _MIN_SHARED and len(shared) >= _MIN_SHARE * len(deed):
                # not one whose kin or aide does it (周文涛的堂弟周文海投了反对票: 周文海 votes, not 周文涛)
                before = _OWNER.sub("的", clause[:at])
                # not one the deed is done with or for (为周雨桐配备: the club does it)
                named = [p for p in people if p in before and not re.search(f"[{_TOWARDS}]{re.escape(p)}$", before)]
                kin = None if named else _KIN_NAMED.search(before)
                if kin:
                    named = [kin.group(1)]   # the relative, by a bare name (堂弟周文杰投了)
                if not before and openings and openings[k] != k:
                    carried = _opening_doer(page_clauses[openings[k]], people)
                    named = [carried[0]] if carried else []
                # one party by its full name or a short one (师范学院 of 江川师范学院)
                if person in before or not named or any(p in person or person in p for p in named):
                    return None
                other = other or max(named, key=before.rfind)
            at = clause.find(verb, at + 1)
    return other


# A person and a verb of saying that make a whole clause (高志远还说，…; 副局长邓春兰介绍，…): what is said follows.
_SAYING = ("说|說|表示|介绍|介紹|指出|认为|認為|称|稱|透露|强调|強調|提醒|坦言|回应称|回應稱|辩称|辯稱|声称|聲稱|直言|坦承|"
           "表态|表態")
_SPEAKER_CLAUSE = re.compile(f"^(?:{'|'.join(ROLE_WORDS)})?(?P<speaker>[{HAN}·]{{2,12}}?)(?:还|還|也|则|則|又|随后|隨後)?"
                             f"(?:在[{HAN}]{{2,10}}?[上中时時])?(?:{_SAYING})$")   # (…郑琳在电话会议上表示)
# The same, with what is said in the clause itself (何振宇称暂无在香港开店的计划).
_SAYING_CLAUSE = re.compile(f"^(?:{'|'.join(ROLE_WORDS)})?(?P<speaker>[{HAN}·]{{2,12}}?)(?:还|還|也|则|則|又)?"
                            f"(?:{_SAYING})(?P<said>[^，,]{{4,}})$")
# How much of what the point says was said the page's saying must hold: the same words.
_MIN_SAID_SHARE = 0.4


_AFTER_ROLE = re.compile(f"^.*(?:{'|'.join(ROLE_WORDS)})")


def _speaker(said_by: str, people: list):
    """The person a speaker clause names: one of `people` it ends with, or a bare name of two or three characters
    with a family name first, after any role word (林晓梅表示, 赵刚则提醒, 董事会秘书郑琳表示), which the page's roles
    did not put among its people."""
    person = next((p for p in people if said_by.endswith(p)), None)
    if person is None:
        bare = _AFTER_ROLE.sub("", said_by)   # (华岳食品董事会秘书郑琳: past the last role word)
        if 2 <= len(bare) <= 3 and bare[0] in FAMILY_NAMES:
            person = bare
        elif len(bare) > 3:   # a title no role word names (区长助理潘国华, 行业分析人士郑宏): its last name-like run
            person = next((bare[-n:] for n in (3, 2) if bare[-n] in FAMILY_NAMES), None)
    return person


def _sayings(clause_list: list, people: list) -> list:
    """[(speaker, bigrams of what they said)] of every clause that is a person the page names and a verb of saying,
    with the clause after it."""
    out = []
    for i, clause in enumerate(clause_list):
        m = _SPEAKER_CLAUSE.match(clause)
        speaker = m and i + 1 < len(clause_list) and _speaker(m.group("speaker"), people)
        if speaker:
            out.append((speaker, bigrams(clause_list[i + 1])))
        m = _SAYING_CLAUSE.match(clause)
        speaker = m and _speaker(m.group("speaker"), people)
        if speaker:
            out.append((speaker, bigrams(m.group("said"))))
    return out


def page_sayings(page_clauses: list, people: set) -> list:
    """What each person the page names says in it (_sayings of its clauses), read once per page."""
    return _sayings(page_clauses, sorted(people, key=len, reverse=True))


def speaker_conflicts(point: str, theirs: list, people: set) -> list:
    """[((start, end) of the speaker in the point, (reason, evidence))] for each "<person>说，<words>" of the point
    whose words the page (`theirs`: page_sayings) has another person it names say (高志远还说，调查没有发现… where
    the point has 邓春兰介绍), and never this one."""
    out = []
    if not theirs or not _IDEOGRAPH.search(point):
        return out
    people = sorted(people, key=len, reverse=True)
    point_clauses = list(CLAUSE.finditer(point))
    for k, m in enumerate(point_clauses):
        mine = _SPEAKER_CLAUSE.match(m.group(0)) if k + 1 < len(point_clauses) else None
        said_here = None if mine else _SAYING_CLAUSE.match(m.group(0))
        person = (mine or said_here) and _speaker((mine or said_here).group("speaker"), people)
        if not person:
            continue
        said = bigrams(said_here.group("said") if said_here else point_clauses[k + 1].group(0))
        if len(said) < 4:
            continue
        same = [speaker for speaker, words in theirs if len(said & words) >= _MIN_SAID_SHARE * len(said)]
        if same and person not in same:
            start = m.start() + m.group(0).find(person)
            out.append(((start, start + len(person)), (f"the page says {same[0]} said this", same[0])))
    return out
