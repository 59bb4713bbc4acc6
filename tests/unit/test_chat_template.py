"""Chat template: our rendering must be byte-identical to transformers' apply_chat_template.

Oracles:
  - transformers' apply_chat_template on a transformers tokenizer holding the same template
    string and the special tokens read from the GGUF by gguf-py (not by our reader); its
    vocabulary is just the special tokens, which is all that rendering text needs;
  - a transformers tokenizer built from the GGUF file itself (needs torch for transformers'
    GGUF loader), which also checks that we give the template the same special tokens.
"""

from pathlib import Path

import pytest

from precis.chat_template import ChatTemplate, TemplateError
from precis.gguf import open_gguf

ROOT = Path(__file__).resolve().parents[2]
SMOLLM2 = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA3 = ROOT / "models" / "gemma-3-270m-Q4_K_M.gguf"

import transformers  # the oracle for chat templates

CONVERSATIONS = {
    "user only": [{"role": "user", "content": "Summarize this page."}],
    "with system": [
        {"role": "system", "content": "You are concise."},
        {"role": "user", "content": "What is WebGPU?"},
    ],
    "multi-turn": [
        {"role": "user", "content": "Hi!"},
        {"role": "assistant", "content": "Hello. How can I help?"},
        {"role": "user", "content": "Explain <b>tags</b> & \"quotes\"\n  with spaces  "},
    ],
    "system + multi-turn, unicode": [
        {"role": "system", "content": "Réponds en français."},
        {"role": "user", "content": "Qu'est-ce que c'est ? 日本語 🙂"},
        {"role": "assistant", "content": "Une page.\n\n- point 1\n- point 2"},
        {"role": "user", "content": "Merci"},
    ],
    "ends with assistant": [
        {"role": "user", "content": "2+2?"},
        {"role": "assistant", "content": "4"},
    ],
}


def transformers_render(template: str, messages, add_generation_prompt: bool, **special_tokens) -> str:
    """transformers' apply_chat_template(tokenize=False) with this template and these special tokens."""
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    vocab = {token: i for i, token in enumerate(dict.fromkeys(["<unk>", *special_tokens.values()]))}
    backend = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    hf = transformers.PreTrainedTokenizerFast(tokenizer_object=backend, chat_template=template, **special_tokens)
    return hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)


@pytest.fixture(scope="module")
def smollm2_gguf_py():
    return gguf_py_special_tokens(SMOLLM2)


def gguf_py_special_tokens(path: Path) -> tuple[str, dict]:
    """The template and special token strings, read with gguf-py (independent of our reader)."""
    import gguf  # reads the model independently of precis.gguf
    reader = gguf.GGUFReader(str(path))

    def field(key):
        f = reader.fields.get(key)
        return None if f is None else f.contents()

    tokens = field("tokenizer.ggml.tokens")
    special = {}
    for key, name in [("bos_token_id", "bos_token"), ("eos_token_id", "eos_token"),
                      ("unknown_token_id", "unk_token"), ("padding_token_id", "pad_token")]:
        token_id = field("tokenizer.ggml." + key)
        if token_id is not None:
            special[name] = tokens[token_id]
    return field("tokenizer.chat_template"), special


@pytest.fixture(scope="module")
def smollm2():
    return open_gguf(SMOLLM2)


@pytest.fixture(scope="module")
def smollm2_template(smollm2):
    return ChatTemplate.from_gguf(smollm2)


def test_smollm2_uses_its_own_template(smollm2_template):
    assert smollm2_template.has_model_template
    assert smollm2_template.special_tokens == {
        "bos_token": "<|im_start|>", "eos_token": "<|im_end|>",
        "unk_token": "<|endoftext|>", "pad_token": "<|im_end|>"}
    assert smollm2_template.stop_strings == ["<|im_end|>"]


@pytest.mark.parametrize("add_generation_prompt", [True, False])
@pytest.mark.parametrize("name", list(CONVERSATIONS))
def test_smollm2_matches_transformers(smollm2_template, smollm2_gguf_py, name, add_generation_prompt):
    template, special = smollm2_gguf_py
    messages = CONVERSATIONS[name]
    expected = transformers_render(template, messages, add_generation_prompt, **special)
    assert smollm2_template.render(messages, add_generation_prompt=add_generation_prompt) == expected


def test_smollm2_exact_text(smollm2_template):
    # Spelled out once, so a change in both us and the oracle would still be caught.
    text = smollm2_template.render([{"role": "user", "content": "Hi"}])
    assert text == ("<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
                    "<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")


def test_smollm2_matches_transformers_tokenizer_from_gguf(smollm2_template):
    from transformers import AutoTokenizer
    hf = AutoTokenizer.from_pretrained(str(SMOLLM2.parent), gguf_file=SMOLLM2.name)
    assert hf.special_tokens_map == smollm2_template.special_tokens
    for messages in CONVERSATIONS.values():
        for add_generation_prompt in (True, False):
            expected = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
            assert smollm2_template.render(messages, add_generation_prompt=add_generation_prompt) == expected


# A template that leans on every environment setting transformers uses: trim_blocks and
# lstrip_blocks (block tags on their own indented lines leave no whitespace), loopcontrols,
# the non-escaping tojson, raise_exception, `tools`/`documents` defined as none, special tokens.
FEATURE_TEMPLATE = """{{ bos_token }}
{% if tools is not none or documents is not none %}
    {{ raise_exception('tools given') }}
{% endif %}
{% for message in messages %}
    {% if message['role'] == 'stop' %}
        {% break %}
    {% endif %}
    {% if message['role'] == 'skip' %}
        {% continue %}
    {% endif %}
    {% if message['role'] not in ['system', 'user', 'assistant'] %}
        {{ raise_exception('Unknown role: ' + message['role']) }}
    {% endif %}
[{{ loop.index }}] {{ message | tojson }}
    {% if message['role'] == 'assistant' %}
{{ eos_token }}
    {% endif %}
{% endfor %}
{% if add_generation_prompt %}
>>> assistant
{% endif %}"""

FEATURE_SPECIAL = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}


@pytest.mark.parametrize("messages", [
    [{"role": "system", "content": "A <tag> & 'quote' ü"}, {"role": "user", "content": "x"}],
    [{"role": "user", "content": "a"}, {"role": "skip", "content": "b"},
     {"role": "assistant", "content": "c"}, {"role": "stop", "content": "d"}, {"role": "user", "content": "e"}],
])
@pytest.mark.parametrize("add_generation_prompt", [True, False])
def test_environment_settings_match_transformers(messages, add_generation_prompt):
    ours = ChatTemplate(FEATURE_TEMPLATE, FEATURE_SPECIAL).render(messages, add_generation_prompt)
    expected = transformers_render(FEATURE_TEMPLATE, messages, add_generation_prompt, **FEATURE_SPECIAL)
    assert ours == expected
    assert "<tag>" in ours or "tag" not in str(messages)  # tojson kept '<' as is


def test_tojson_does_not_escape_html():
    tpl = ChatTemplate("{{ messages[0]['content'] | tojson }}")
    assert tpl.render([{"role": "user", "content": "<a & b>"}]) == '"<a & b>"'


def test_strftime_now_is_available():
    from datetime import datetime
    tpl = ChatTemplate("{{ strftime_now('%Y') }}")
    assert tpl.render([{"role": "user", "content": "x"}]) in {str(datetime.now().year), str(datetime.now().year + 1)}


def test_raise_exception_becomes_template_error():
    tpl = ChatTemplate(FEATURE_TEMPLATE, FEATURE_SPECIAL)
    with pytest.raises(TemplateError, match="Unknown role: tool"):
        tpl.render([{"role": "tool", "content": "x"}])


def test_sandbox_blocks_python_internals():
    tpl = ChatTemplate("{{ messages.__class__.__mro__ }}")
    with pytest.raises(TemplateError):
        tpl.render([{"role": "user", "content": "x"}])
    mutating = ChatTemplate("{% set _ = messages.append(1) %}ok")  # immutable sandbox: no mutation
    with pytest.raises(TemplateError):
        mutating.render([{"role": "user", "content": "x"}])


@pytest.mark.parametrize("source, fragment", [
    ("{% for m in messages %}{{ m['content'] }}", "line 1"),  # unclosed for
    ("{{ messages[0]['content'] ", "syntax error"),
    ("{% iff x %}{% endif %}", "iff"),
    ("   ", "empty"),
])
def test_broken_template_is_a_clear_error(source, fragment):
    with pytest.raises(TemplateError, match=fragment) as info:
        ChatTemplate(source)
    assert isinstance(info.value, ValueError)


def test_render_time_type_error_is_a_template_error():
    tpl = ChatTemplate("{{ messages[0]['content'] + 1 }}")
    with pytest.raises(TemplateError, match="failed while rendering"):
        tpl.render([{"role": "user", "content": "x"}])


@pytest.mark.parametrize("messages, fragment", [
    ("hello", "list"),
    ([{"role": "user"}], "content"),
    ([{"content": "x"}], "role"),
    (["x"], "dict"),
    ([{"role": "user", "content": 3}], "content"),
])
def test_bad_messages_are_clear_errors(smollm2_template, messages, fragment):
    with pytest.raises(ValueError, match=fragment):
        smollm2_template.render(messages)


def test_none_valued_keys_are_dropped_like_transformers():
    source = "{% for m in messages %}{{ m['name'] if 'name' in m else '-' }}{% endfor %}"
    messages = [{"role": "user", "content": "x", "name": None}]
    assert ChatTemplate(source).render(messages) == transformers_render(source, messages, True) == "-"


def test_gemma3_base_model_falls_back_to_gemma_turns():
    tpl = ChatTemplate.from_gguf(open_gguf(GEMMA3))
    assert not tpl.has_model_template
    assert tpl.special_tokens["bos_token"] == "<bos>" and tpl.special_tokens["eos_token"] == "<eos>"
    assert tpl.stop_strings == ["<end_of_turn>", "<eos>"]
    assert tpl.render(CONVERSATIONS["user only"]) == (
        "<start_of_turn>user\nSummarize this page.<end_of_turn>\n<start_of_turn>model\n")
    # No system role in Gemma: the system text opens the first user turn; assistant is "model".
    assert tpl.render(CONVERSATIONS["system + multi-turn, unicode"], add_generation_prompt=False) == (
        "<start_of_turn>user\nRéponds en français.\n\nQu'est-ce que c'est ? 日本語 🙂<end_of_turn>\n"
        "<start_of_turn>model\nUne page.\n\n- point 1\n- point 2<end_of_turn>\n"
        "<start_of_turn>user\nMerci<end_of_turn>\n")
    # The template writes no BOS: the tokenizer adds it (add_bos_token is true for Gemma).
    assert not tpl.adds_bos(tpl.render(CONVERSATIONS["user only"]))


class _FakeGGUF:
    """Just the two attributes from_gguf reads, for a model with no chat template."""

    def __init__(self, architecture, metadata):
        self.architecture = architecture
        self.metadata = metadata


def test_other_arch_without_template_falls_back_to_chatml():
    metadata = {"tokenizer.ggml.tokens": ["<unk>", "<s>", "</s>"], "tokenizer.ggml.bos_token_id": 1,
                "tokenizer.ggml.eos_token_id": 2}
    tpl = ChatTemplate.from_gguf(_FakeGGUF("llama", metadata))
    assert not tpl.has_model_template
    assert tpl.stop_strings == ["<|im_end|>", "</s>"]
    assert tpl.render(CONVERSATIONS["with system"]) == (
        "<|im_start|>system\nYou are concise.<|im_end|>\n<|im_start|>user\nWhat is WebGPU?<|im_end|>\n"
        "<|im_start|>assistant\n")


def test_empty_template_in_model_falls_back():
    metadata = {"tokenizer.chat_template": "", "tokenizer.ggml.tokens": ["a"]}
    assert not ChatTemplate.from_gguf(_FakeGGUF("qwen2", metadata)).has_model_template


def test_out_of_range_special_token_id_is_ignored():
    metadata = {"tokenizer.ggml.tokens": ["a"], "tokenizer.ggml.eos_token_id": 7}
    tpl = ChatTemplate.from_gguf(_FakeGGUF("llama", metadata))
    assert "eos_token" not in tpl.special_tokens


class _RecordingTokenizer:
    def __init__(self):
        self.calls = []

    def encode(self, text, add_special=True, plain_spans=()):
        self.calls.append((text, add_special, list(plain_spans)))
        return [len(text)]


def test_encode_does_not_add_a_second_bos():
    with_bos = ChatTemplate("{{ bos_token }}{{ messages[0]['content'] }}", {"bos_token": "<bos>"})
    without_bos = ChatTemplate("{{ messages[0]['content'] }}", {"bos_token": "<bos>"})
    tok = _RecordingTokenizer()
    with_bos.encode(tok, [{"role": "user", "content": "x"}])
    without_bos.encode(tok, [{"role": "user", "content": "x"}])
    # The content "x" is untrusted text: its span is passed on so no control token comes from it.
    assert tok.calls == [("<bos>x", False, [(5, 6)]), ("x", True, [(0, 1)])]


def test_prompt_ids_have_exactly_one_bos_and_whole_turn_markers():
    # With the real tokenizers: the template's markers are single control tokens, and BOS is
    # there once (Gemma: added by the tokenizer; SmolLM2: its BOS <|im_start|> opens each turn).
    from precis.tokenizer import Tokenizer
    messages = [{"role": "user", "content": "Hello there"}]

    gemma = open_gguf(GEMMA3)
    tok = Tokenizer.from_gguf(gemma)
    ids = ChatTemplate.from_gguf(gemma).encode(tok, messages)
    assert [tok.id_to_token(i) for i in ids] == [
        "<bos>", "<start_of_turn>", "user", "\n", "Hello", "▁there", "<end_of_turn>", "\n",
        "<start_of_turn>", "model", "\n"]

    smollm2 = open_gguf(SMOLLM2)
    tok = Tokenizer.from_gguf(smollm2)
    ids = ChatTemplate.from_gguf(smollm2).encode(tok, messages)
    assert ids[0] == tok.token_to_id("<|im_start|>") == 1
    assert ids.count(1) == 3 and ids.count(tok.token_to_id("<|im_end|>")) == 2  # system, user, assistant header
    assert tok.decode(ids) == ChatTemplate.from_gguf(smollm2).render(messages)
