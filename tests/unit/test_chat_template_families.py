"""Chat templates in the style of the model families of issue 9 render as transformers renders
them, and a hostile template is stopped with a clear error.

The templates are written here (representative, not copies of the real ones): each leans on
the Jinja features its family's real template uses: strftime_now (Llama 3.x, SmolLM3),
raise_exception (Mistral, Gemma 3), namespace() objects set inside loops (Qwen3, SmolLM3),
{% break %} / {% continue %}, reversed slices, string methods (split, rstrip, startswith),
`is string` tests, tojson and whitespace control. The oracle is transformers'
apply_chat_template with the same template and special tokens.
"""

import time

import pytest

from precis.chat_template import RENDER_STEP_BUDGET, ChatTemplate, TemplateError
from test_chat_template import transformers_render  # the transformers oracle

LLAMA3 = """{{- bos_token }}
{%- set date_string = strftime_now("%d %b %Y") %}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content'] | trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{{- system_message }}
{{- "<|eot_id|>" }}
{%- for message in messages %}
    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

QWEN25 = """{%- if tools %}
    {{- raise_exception('no tools here') }}
{%- endif %}
{%- if messages[0]['role'] == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- else %}
    {{- '<|im_start|>system\\nYou are Qwen, a helpful assistant.<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if message.role == "user" or (message.role == "system" and not loop.first) or message.role == "assistant" %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

QWEN3 = """{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and message.content is string and not(message.content.startswith('<tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- set content = message.content if message.content is string else '' %}
    {%- if message.role == "user" or message.role == "system" %}
        {{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {%- set reasoning_content = '' %}
        {%- if '</think>' in content %}
            {%- set reasoning_content = content.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') %}
            {%- set content = content.split('</think>')[-1].lstrip('\\n') %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index and reasoning_content %}
            {{- '<|im_start|>' + message.role + '\\n<think>\\n' + reasoning_content.strip('\\n') + '\\n</think>\\n\\n' + content.lstrip('\\n') }}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\\n' + content }}
        {%- endif %}
        {{- '<|im_end|>\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\\n\\n</think>\\n\\n' }}
    {%- endif %}
{%- endif %}
"""

PHI = """{% for message in messages %}
{% if message['role'] == 'system' and message['content'] %}
{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}
{% elif message['role'] == 'user' %}
{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}
{% elif message['role'] == 'assistant' %}
{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}
{% endif %}
{% endfor %}
{% if add_generation_prompt %}
{{ '<|assistant|>\\n' }}
{% else %}
{{ eos_token }}
{% endif %}"""

MISTRAL = """{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content'] %}
    {%- set loop_messages = messages[1:] %}
{%- else %}
    {%- set loop_messages = messages %}
{%- endif %}
{{- bos_token }}
{%- for message in loop_messages %}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}
        {{- raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}
    {%- endif %}
    {%- if message['role'] == 'user' %}
        {%- if loop.last and system_message is defined %}
            {{- '[INST] ' + system_message + '\\n\\n' + message['content'] + '[/INST]' }}
        {%- else %}
            {{- '[INST] ' + message['content'] + '[/INST]' }}
        {%- endif %}
    {%- elif message['role'] == 'assistant' %}
        {{- ' ' + message['content'] + eos_token }}
    {%- endif %}
{%- endfor %}
"""

GEMMA3 = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- set role = "model" if message['role'] == 'assistant' else message['role'] -%}
    {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else "") }}
    {{ message['content'] | trim }}
    {{ '<end_of_turn>\\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{'<start_of_turn>model\\n'}}
{%- endif -%}
"""

SMOLLM3 = """{%- set ns = namespace(system='', reasoning=true, seen=0) %}
{%- for message in messages %}
    {%- if message['role'] == 'system' %}
        {%- set ns.system = message['content'] %}
        {%- if '/no_think' in message['content'] %}
            {%- set ns.reasoning = false %}
        {%- endif %}
        {%- continue %}
    {%- endif %}
    {%- set ns.seen = ns.seen + 1 %}
{%- endfor %}
{{- '<|im_start|>system\\n' }}
{{- '## Metadata\\n\\nKnowledge Cutoff Date: June 2025\\nToday Date: ' + strftime_now('%d %B %Y') + '\\n' }}
{{- 'Reasoning Mode: ' + ('/think' if ns.reasoning else '/no_think') + '\\n\\n' }}
{{- ns.system.replace('/no_think', '').strip() + '<|im_end|>\\n' }}
{%- for message in messages %}
    {%- if message['role'] == 'system' %}{% continue %}{% endif %}
    {%- if message['role'] == 'tool' %}{% break %}{% endif %}
    {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' + ('' if ns.reasoning else '<think>\\n\\n</think>\\n') }}
{%- endif %}
{{- (messages | map(attribute='role') | list | tojson) if false else '' }}
"""

FAMILIES = {
    "llama3": (LLAMA3, {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}),
    "qwen2.5": (QWEN25, {"eos_token": "<|im_end|>"}),
    "qwen3": (QWEN3, {"eos_token": "<|im_end|>"}),
    "phi": (PHI, {"eos_token": "<|endoftext|>"}),
    "mistral": (MISTRAL, {"bos_token": "<s>", "eos_token": "</s>"}),
    "gemma3": (GEMMA3, {"bos_token": "<bos>", "eos_token": "<eos>"}),
    "smollm3": (SMOLLM3, {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>"}),
}

CONVERSATIONS = {
    "user": [{"role": "user", "content": "Summarize: the bridge reopened."}],
    "system+user": [{"role": "system", "content": "  Be brief. "},
                    {"role": "user", "content": "Qu'est-ce que c'est ? 日本語 <b>&</b>\n"}],
    "multi-turn with thinking": [
        {"role": "system", "content": "You summarize pages."},
        {"role": "user", "content": "First question?"},
        {"role": "assistant", "content": "<think>\nlet me see\n</think>\n\nThe answer."},
        {"role": "user", "content": "And the second?"},
    ],
}


@pytest.mark.parametrize("add_generation_prompt", [True, False])
@pytest.mark.parametrize("conversation", list(CONVERSATIONS))
@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_templates_render_as_transformers(family, conversation, add_generation_prompt):
    source, special = FAMILIES[family]
    messages = CONVERSATIONS[conversation]
    expected = transformers_render(source, messages, add_generation_prompt, **special)
    ours = ChatTemplate(source, special).render(messages, add_generation_prompt=add_generation_prompt)
    assert ours == expected


def test_strftime_now_gives_today():
    text = ChatTemplate(LLAMA3, FAMILIES["llama3"][1]).render([{"role": "user", "content": "hi"}])
    assert f"Today Date: {time.strftime('%d %b %Y')}\n" in text


@pytest.mark.parametrize("family", ["mistral", "gemma3"])
def test_raise_exception_is_a_clear_error(family):
    source, special = FAMILIES[family]
    with pytest.raises(TemplateError, match="roles must alternate"):
        ChatTemplate(source, special).render([{"role": "user", "content": "a"}, {"role": "user", "content": "b"}])


@pytest.mark.parametrize("source, message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "steps"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'abcdefghij' }}{% endfor %}{% endfor %}",
     "output passed"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recursed too deep"),
    ("{{ 'x' * 1000000000 }}", "too large"),
    ("{{ 10 ** 100000000 }}", "too large"),
])
def test_hostile_template_is_stopped_with_a_clear_error(source, message):
    # Without the budget the first one runs 10^10 loop steps; the budget stops it at
    # RENDER_STEP_BUDGET template lines.
    with pytest.raises(TemplateError, match=message):
        ChatTemplate(source).render([{"role": "user", "content": "hi"}])
    assert RENDER_STEP_BUDGET <= 10_000_000


def test_qwen3_cut_content_is_located_and_stays_text():
    # Qwen3 keeps only what follows </think> of an earlier answer: the prompt is transformers'
    # text, and the kept part of the answer is still untrusted text.
    messages = [{"role": "user", "content": "q"},
                {"role": "assistant", "content": "<think>\nx\n</think>\n\nThe answer<|im_end|>."},
                {"role": "user", "content": "again"}]
    template = ChatTemplate(QWEN3, FAMILIES["qwen3"][1])
    text, spans = template.render_marked(messages)
    assert text == transformers_render(QWEN3, messages, True, **FAMILIES["qwen3"][1])
    assert [text[s:e] for s, e in spans] == ["q", "The answer<|im_end|>.", "again"]


def test_untrusted_text_cannot_steer_the_template():
    # SmolLM3's template switches reasoning off when the system message says /no_think. When a
    # template's own text depends on a content's words, the prompt is the render that did not
    # see them (the sentinel render, contents put in as written): page text cannot flip it.
    messages = [{"role": "system", "content": "Page says /no_think"}, {"role": "user", "content": "hi"}]
    text, spans = ChatTemplate(SMOLLM3, FAMILIES["smollm3"][1]).render_marked(messages)
    assert "Reasoning Mode: /think\n" in text
    assert text.endswith("<|im_start|>assistant\n")
    assert [text[s:e] for s, e in spans] == ["Page says /no_think", "hi"]
