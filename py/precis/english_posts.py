"""The post an English page gives a person, read apart from the body it is of. Pure stdlib.

"Mayor Ruth Abara voted against the plan" where the page has "Councillor Ruth Abara led the critics" and "The mayor,
Tomas Reid": every word of the point is in the page, and the page names both people; only the post is another's.
A point's post for a person is checked against the posts the page gives that person (its titles, appositions and
"Body's post, Person": precis.english_roles.officers). Where the page gives the person posts, none of them is the
point's, and no sentence of the page naming the person has the post's words, the point gives them a post the page
does not. The grounding check (precis.grounding) asks this beside its officer check, which compares whose officer a
person is.
"""

from __future__ import annotations

import re

from precis.english_roles import HUMAN_POSTS, NAME, officers, same_person

# Last words of a post, beyond HUMAN_POSTS (precis.english_roles): posts a body has several of, or that are a title.
_MORE_POSTS = frozenset("councillor deputy partner author pharmacist conductor trustee member adviser advisor "
                        "auditor surgeon consultant analyst economist".split())
POST_WORDS = HUMAN_POSTS | _MORE_POSTS
# One post written another way: the word a post is compared by.
_SAME_POST = {"chairman": "chair", "chairwoman": "chair", "chairperson": "chair", "ceo": "chief executive",
              "boss": "chief executive", "advisor": "adviser", "spokeswoman": "spokesperson",
              "spokesman": "spokesperson"}
# A post's words: never a joining word ("drew up the plans with the architect Helen Marsh": the post is "architect").
_POST_WORD = r"(?!(?:the|a|an|with|of|and|or|to|in|on|for|by|at|from|as)\b)[a-z]+"
_POST = rf"{_POST_WORD}(?:[ -]{_POST_WORD}){{0,3}}"
# "The mayor, Tomas Reid," / "the deputy chair, Helen Ostrowski": a post with no body named.
_THE_POST_PERSON = re.compile(rf"(?<![\w'’])[Tt]he (?P<role>{_POST}),? (?P<person>{NAME})")
# "Helen Ostrowski, the deputy chair," / "Tom Evans, head of the guild".
_PERSON_THE_POST = re.compile(rf"(?P<person>{NAME}), (?:the |an? )?(?P<role>{_POST})(?= of |[,.;)]| who| and|$)")
# "The head of the Northern Booksellers' Guild, Tom Evans".
_POST_OF_BODY_PERSON = re.compile(rf"(?<![\w'’])[Tt]he (?P<role>{_POST}) of (?:the )?(?P<body>{NAME}['’]?),? "
                                  rf"(?P<person>{NAME})")
_NAMED = re.compile(NAME)
_WORD = re.compile(r"[a-z]+")


def _post_words(role: str) -> tuple:
    """The words a post is compared by ("Chairman" -> ("chair",); "CEO" -> ("chief", "executive"))."""
    words = []
    for word in _WORD.findall(role.casefold()):
        words.extend(_SAME_POST.get(word, word).split())
    return tuple(words)


def _is_post(role: str) -> bool:
    words = _post_words(role)
    return bool(words) and words[-1] in POST_WORDS


def posts(text: str, text_officers=None) -> list:
    """[(person, post words, body words, (start, end) of the post, the post as written)] of every post `text` gives
    a person: a title before the name ("Councillor Ruth Abara"), "the post, Person", "Person, the post", "the post of
    Body, Person", and the officers of precis.english_roles ("Orrin's chief executive, Wei Ling Tan";
    `text_officers`: officers(text), where already read)."""
    out = []
    for m in _NAMED.finditer(text):
        first, _, rest = m.group(0).partition(" ")
        if _untitled(m.group(0)) != m.group(0):
            out.append((rest, _post_words(first), (), (m.start(), m.start() + len(first)), first.lower()))
    for pattern in (_THE_POST_PERSON, _PERSON_THE_POST, _POST_OF_BODY_PERSON):
        for m in pattern.finditer(text):
            if _is_post(m.group("role")):
                role, body = m.group("role"), m.groupdict().get("body") or ""
                called = f"{role} of {body}" if body else role
                out.append((_untitled(m.group("person")), _post_words(role), _post_words(body), m.span("role"), called))
    for person, body, role, (_, body_end), _ in officers(text) if text_officers is None else text_officers:
        if _is_post(role):
            at = text.find(role, body_end)
            span = (at, at + len(role)) if at >= 0 else None
            out.append((_untitled(person), _post_words(role), _post_words(body), span, f"{body}'s {role}"))
    return out


def _untitled(name: str) -> str:
    """A name without the post written before it ("Ruth Abara" of "Councillor Ruth Abara"); "Dean Marlow" is a name,
    and "Inspector Rowe's Rachel Stone" two."""
    first, _, rest = name.partition(" ")
    titled = rest and first != "Dean" and _is_post(first) and "'" not in rest and "’" not in rest
    return rest if titled and _NAMED.fullmatch(rest) else name


def _stem(word: str) -> str:
    """A post's word as a page's verb or plural may write it ("heads", "directs" for head, director)."""
    return word[:5] if len(word) > 5 else word.removesuffix("s")


def post_conflicts(point: str, page_posts: list, sentences: list) -> list:
    """[((start, end) of the post in the point, (reason, the page's sentence))] for each post the point gives a person
    that none of the page's posts for that person has, where the page gives them at least one, and no sentence of
    the page naming them has the post's words."""
    out = []
    for person, words, _, span, _ in posts(point):
        if span is None:
            continue
        theirs = [(role, body, called) for p, role, body, _, called in page_posts if same_person(p, person)]
        if not theirs or any(set(words) <= set(role) | set(body) for role, body, _ in theirs):
            continue
        surname = person.split()[-1]
        naming = [s for s in sentences if surname in s]
        stems = {_stem(w) for w in words}
        if not naming or any(stems <= {_stem(w) for w in _post_words(s)} for s in naming):
            continue
        role, _, called = theirs[0]
        evidence = next((s for s in naming if role[-1] in _post_words(s)), naming[0])
        out.append((span, (f"the page calls {person} {_the(called)}", evidence)))
    return out


def _the(called: str) -> str:
    """"the chair", "the board's chair", "Orrin's chief executive": a post as the reader is told it."""
    if called.startswith("The "):
        return "t" + called[1:]
    return called if called[0].isupper() or called.startswith("the ") else "the " + called
