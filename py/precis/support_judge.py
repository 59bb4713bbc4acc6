"""The model as a judge of grounding: does this passage of the page support this point? Pure stdlib.

Where the lexical check (precis.grounding) passes a point, the loaded model is asked, in one
prompt, whether the point's passage supports it, and answers nothing: its next-token top-k
(what the device's step returns) is read for "yes" and "no". The score is the best "yes"
log-probability minus the best "no" one; a point scoring under JUDGE_THRESHOLD is flagged.
An answer missing from the top-k counts as the lowest log-probability the top-k shows.

Cost: one prompt per judged point, about 60 tokens of instructions plus the passage (the
point's sentence and its neighbours) and the point; no token is generated. The passage comes
before the point, so points resting on the same passage reuse the cached prefix.
"""

from __future__ import annotations

# NOT calibrated yet: on the first points measured (Qwen2.5-Coder-0.5B, issue 16's traps) true points
# scored -0.7..+0.0, so a threshold near 0 would drop true points. A point is flagged only when the model
# clearly answers no. Calibrate with `bench_grounding --judge MODEL` on an unloaded machine.
JUDGE_THRESHOLD = -2.0
JUDGE_REASON = "the page does not support this (model judge)"

INSTRUCTIONS = ("You check a summary against its source. Answer with one word: yes if the passage "
                "states everything the claim says (same dates, numbers, people and roles), no otherwise.")


def judge_messages(passage: str, point: str) -> list:
    return [{"role": "system", "content": INSTRUCTIONS},
            {"role": "user", "content": f"Passage: {passage}\n\nClaim: {point}\n\n"
                                        "Does the passage support the claim? Answer yes or no."}]


def answer_ids(tokenizer) -> tuple:
    """(ids that begin a "yes", ids that begin a "no"): the first token of each spelling."""
    def first(words):
        ids = set()
        for w in words:
            encoded = tokenizer.encode(w, add_special=False)
            if encoded:
                ids.add(encoded[0])
        return ids
    yes, no = first(("yes", "Yes", "YES", " yes", " Yes")), first(("no", "No", "NO", " no", " No"))
    return yes - no, no - yes


def support_score(ids: list, logits: list, yes: set, no: set) -> float:
    """Best yes log-probability minus best no log-probability in a top-k."""
    floor = min(logits) if logits else 0.0
    best_yes = max((x for i, x in zip(ids, logits) if i in yes), default=floor)
    best_no = max((x for i, x in zip(ids, logits) if i in no), default=floor)
    return best_yes - best_no
