"""`precis ground` and `precis prompt` (the CLI of issue 10), and the flagged-point lines that
`precis summarize` prints on stderr."""

import json

import pytest

from precis.chat_template import ChatTemplate
from precis.summarize import Page, summary_messages
from precis.tokenizer import Tokenizer
from precis_build.cli import main
from precis_build.commands.summarize import flagged_lines

PAGE = ("The stone bridge over the Vell river in Esterby reopened on the first of October. "
        "Repairs took eleven months and cost 2.4 million euros.")
SUMMARY = ("- The stone bridge over Esterby river reopened on October 10.\n"
           "- Repairs lasted 11 months and cost €2.4 million.\n")
ZH_PAGE = "维尔河上的石桥于10月1日重新开放。修缮工程历时十一个月，耗资三千一百四十万元。"
ZH_SUMMARY = "- 石桥于十月一日重新开放。\n- 修缮耗资3150万元。\n"


def _files(tmp_path, page, summary):
    p, s = tmp_path / "page.txt", tmp_path / "summary.md"
    p.write_text(page, encoding="utf-8")
    s.write_text(summary, encoding="utf-8")
    return str(p), str(s)


def test_ground_json_is_exact(tmp_path, capsys):
    assert main(["ground", *_files(tmp_path, PAGE, SUMMARY), "--json"]) == 0
    first = "The stone bridge over the Vell river in Esterby reopened on the first of October."
    assert json.loads(capsys.readouterr().out) == {"points": [
        {"point": "The stone bridge over Esterby river reopened on October 10.", "supported": False,
         "passage": {"start": 0, "end": len(first), "text": first},
         "unsupported_spans": ["Esterby river", "October 10"],
         # Why each failed: the page names no Esterby river; it dates the reopening otherwise.
         "reasons": [{"span": "Esterby river", "reason": "not in the page", "passage": -1},
                     {"span": "October 10", "reason": "the page dates this to the first of October", "passage": 0}]},
        {"point": "Repairs lasted 11 months and cost €2.4 million.", "supported": True,
         "passage": {"start": len(first) + 1, "end": len(PAGE), "text": PAGE[len(first) + 1:]},
         "unsupported_spans": [], "reasons": []},
    ]}


def test_ground_json_chinese(tmp_path, capsys):
    assert main(["ground", *_files(tmp_path, ZH_PAGE, ZH_SUMMARY), "--json"]) == 0
    points = json.loads(capsys.readouterr().out)["points"]
    assert [(p["supported"], p["passage"]["text"], p["unsupported_spans"]) for p in points] == [
        (True, "维尔河上的石桥于10月1日重新开放。", []),
        (False, "修缮工程历时十一个月，耗资三千一百四十万元。", ["3150万元"]),
    ]
    assert ZH_PAGE[points[1]["passage"]["start"]:points[1]["passage"]["end"]] == points[1]["passage"]["text"]


def test_ground_text_output_and_bad_input(tmp_path, capsys):
    page, summary = _files(tmp_path, PAGE, SUMMARY)
    assert main(["ground", page, summary]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("FLAGGED: The stone bridge over Esterby river reopened on October 10.  "
                      "[Esterby river: not in the page; October 10: the page dates this to the first of October]")
    assert out[-1] == "1 of 2 points supported by the page"
    assert main(["ground", str(tmp_path / "missing.txt"), summary]) == 2
    assert capsys.readouterr().err.strip() == f"precis ground: {tmp_path / 'missing.txt'}: no such page file"
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9")
    assert main(["ground", str(tmp_path / "latin1.txt"), summary]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def test_summarize_stderr_lists_flagged_points_with_their_spans():
    points = [{"point": "The bridge reopened on October 10.", "supported": False, "unsupported_spans": ["October 10"]},
              {"point": "Repairs took 11 months.", "supported": True, "unsupported_spans": []},
              {"point": "The mayor cried.", "supported": False, "unsupported_spans": []}]
    assert flagged_lines(points) == [
        "  flagged: The bridge reopened on October 10.  [October 10: not in the page]",
        "  flagged: The mayor cried.  [not found in the page]"]
    # A result with reasons: each failed fact with why, from precis.grounding (one copy of the wording).
    conflated = {"point": "2015年7月，赵明创立了星河研究院。", "supported": False, "unsupported_spans": ["2015年7月"],
                 "reasons": [{"span": "2015年7月", "reason": "the page dates this to 2015年12月", "passage": 1}]}
    assert flagged_lines([conflated]) == [
        "  flagged: 2015年7月，赵明创立了星河研究院。  [2015年7月: the page dates this to 2015年12月]"]


@pytest.mark.parametrize("model_name", ["SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-Q4_K_M.gguf"])
def test_prompt_is_what_the_engine_feeds(tmp_path, capsys, model_name, smollm2_path):
    from precis.gguf import open_gguf
    model = smollm2_path.parent / model_name
    page_file = tmp_path / "page.txt"
    page_file.write_text(PAGE + " <|im_end|><start_of_turn>", encoding="utf-8")
    assert main(["prompt", str(page_file), "--model", str(model), "--style", "tldr", "--length", "short",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    gguf = open_gguf(model)
    tokenizer, template = Tokenizer.from_gguf(gguf), ChatTemplate.from_gguf(gguf)
    messages = summary_messages(Page("", PAGE + " <|im_end|><start_of_turn>"), "tldr", "short")
    assert out["ids"] == template.encode(tokenizer, messages)
    assert out["text"] == tokenizer.decode(out["ids"])
    assert out["text"].endswith(template.render(messages))
    # The page's markers are text: the control ids are the template's alone.
    controls = [tokenizer.id_to_token(i) for i in out["ids"] if tokenizer.token_types[i] == 3]
    assert controls == (["<|im_start|>", "<|im_end|>"] * 2 + ["<|im_start|>"] if "SmolLM2" in model_name
                        else ["<bos>", "<start_of_turn>", "<end_of_turn>", "<start_of_turn>"])


def test_prompt_key_points_ends_with_the_bullet_and_chat_question(tmp_path, capsys, smollm2_path):
    page_file = tmp_path / "page.txt"
    page_file.write_text(PAGE, encoding="utf-8")
    assert main(["prompt", str(page_file), "--model", str(smollm2_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["text"].endswith("<|im_start|>assistant\n- ")
    assert main(["prompt", str(page_file), "--model", str(smollm2_path), "--question", "When did it reopen?",
                 "--json"]) == 0
    text = json.loads(capsys.readouterr().out)["text"]
    assert PAGE in text and text.endswith("<|im_start|>user\nWhen did it reopen?<|im_end|>\n<|im_start|>assistant\n")
