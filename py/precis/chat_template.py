"""Chat template: turn a conversation into the prompt text the model was trained on.

A GGUF model usually carries its own template as Jinja source in `tokenizer.chat_template`.
We render it the way Hugging Face transformers' `apply_chat_template` does, so that our
prompt is byte-identical to what the model saw in training:
  - jinja2's ImmutableSandboxedEnvironment (templates are untrusted code from the model file),
  - trim_blocks + lstrip_blocks, the loopcontrols extension ({% break %}, {% continue %}),
  - globals `raise_exception(msg)` and `strftime_now(fmt)`, a `tojson` filter that does not
    HTML-escape (Jinja's own turns '<' into '\\u003c'),
  - variables: messages, tools=None, documents=None, add_generation_prompt, and the special
    token strings (bos_token, eos_token, unk_token, pad_token, ... when the model defines them).

A model without a template gets a fallback: Gemma's turn format for the gemma3 architecture,
ChatML for everything else.

Only jinja2 (+ markupsafe) and the stdlib are needed, so this runs in Pyodide too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateError(ValueError):
    """The chat template cannot be compiled or rendered; the message says why."""


# ChatML, written out: `<|im_start|>role\ncontent<|im_end|>\n` per turn.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# Gemma's turn format: `<start_of_turn>user\n...<end_of_turn>\n`, the assistant is called
# `model`, and there is no system role: a system message is put in front of the first user
# turn, separated by a blank line. No BOS here: Gemma's GGUF asks the tokenizer to add it
# (tokenizer.ggml.add_bos_token = true), see `ChatTemplate.encode`.
GEMMA_TEMPLATE = (
    "{% if messages and messages[0]['role'] == 'system' %}"
    "{% set system_prefix = messages[0]['content'] + '\\n\\n' %}"
    "{% set turns = messages[1:] %}"
    "{% else %}"
    "{% set system_prefix = '' %}"
    "{% set turns = messages %}"
    "{% endif %}"
    "{% for message in turns %}"
    "{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}"
    "{{ '<start_of_turn>' + role + '\\n' + (system_prefix if loop.first else '') + message['content'] | trim"
    " + '<end_of_turn>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
)

# Markers that end an assistant turn in the common template families. A template that writes
# one of these literally gets it as a stop string (the model emits it to end its turn).
END_OF_TURN_MARKERS = ("<|im_end|>", "<end_of_turn>", "<|eot_id|>", "<|end|>", "<|endoftext|>", "</s>")

# GGUF metadata key -> the variable name transformers gives the template.
_SPECIAL_TOKEN_KEYS = {
    "tokenizer.ggml.bos_token_id": "bos_token",
    "tokenizer.ggml.eos_token_id": "eos_token",
    "tokenizer.ggml.unknown_token_id": "unk_token",
    "tokenizer.ggml.padding_token_id": "pad_token",
    "tokenizer.ggml.seperator_token_id": "sep_token",  # sic: GGUF's spelling
    "tokenizer.ggml.cls_token_id": "cls_token",
    "tokenizer.ggml.mask_token_id": "mask_token",
}


def _raise_exception(message: Any) -> None:
    # Templates call this to reject a conversation (e.g. "roles must alternate").
    raise jinja2.exceptions.TemplateError(str(message))


def _tojson(value: Any, ensure_ascii: bool = False, indent: Any = None, separators: Any = None,
            sort_keys: bool = False) -> str:
    # Plain json.dumps: unlike Jinja's built-in tojson it keeps '<', '>' and '&' as they are.
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def _strftime_now(fmt: str) -> str:
    # Some templates put today's date into the system prompt.
    return datetime.now().strftime(fmt)


def _make_environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = _tojson
    env.globals["raise_exception"] = _raise_exception
    env.globals["strftime_now"] = _strftime_now
    return env


def _check_messages(messages: Any) -> list[dict]:
    """Validate the conversation and return plain copies of its messages.

    Keys whose value is None are dropped, as transformers does: templates test for a key's
    presence, and an explicit None would render as the text "None".
    """
    if not isinstance(messages, (list, tuple)):
        raise ValueError(f"messages must be a list of dicts with 'role' and 'content', got {type(messages).__name__}")
    checked = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise ValueError(f"message {index} must be a dict with 'role' and 'content', got {type(message).__name__}")
        if not isinstance(message.get("role"), str) or not message["role"]:
            raise ValueError(f"message {index} has no 'role' string")
        if not isinstance(message.get("content"), str):
            raise ValueError(f"message {index} ({message['role']}) has no 'content' string")
        checked.append({key: value for key, value in message.items() if value is not None})
    return checked


class ChatTemplate:
    """A compiled chat template plus what the generation loop needs to know about it.

    Attributes:
        source: the Jinja source text.
        has_model_template: True when the source came from the model file, False for a fallback.
        special_tokens: variable name -> token text given to the template (bos_token, eos_token, ...).
        stop_strings: texts that end the assistant's turn, for the generation loop.
    """

    def __init__(self, source: str, special_tokens: dict[str, str] | None = None, *,
                 has_model_template: bool = True, stop_strings: Iterable[str] | None = None):
        if not isinstance(source, str) or not source.strip():
            raise TemplateError("the chat template is empty")
        self.source = source
        self.has_model_template = has_model_template
        self.special_tokens = dict(special_tokens or {})
        try:
            self._template = _make_environment().from_string(source)
        except jinja2.exceptions.TemplateSyntaxError as exc:
            raise TemplateError(f"chat template syntax error at line {exc.lineno}: {exc.message}") from exc
        except jinja2.exceptions.TemplateError as exc:
            raise TemplateError(f"chat template does not compile: {exc}") from exc
        if stop_strings is None:
            stop_strings = self._guess_stop_strings()
        self.stop_strings = [s for s in dict.fromkeys(stop_strings) if s]

    @classmethod
    def from_gguf(cls, gguf: Any) -> "ChatTemplate":
        """The model's own template, or the fallback for its architecture when it has none."""
        metadata = gguf.metadata
        tokens = metadata.get("tokenizer.ggml.tokens") or []
        special = {}
        for key, name in _SPECIAL_TOKEN_KEYS.items():
            token_id = metadata.get(key)
            if isinstance(token_id, int) and 0 <= token_id < len(tokens):
                special[name] = tokens[token_id]
        source = metadata.get("tokenizer.chat_template")
        if isinstance(source, str) and source.strip():
            return cls(source, special, has_model_template=True)
        return cls.fallback(gguf.architecture, special)

    @classmethod
    def fallback(cls, architecture: str, special_tokens: dict[str, str] | None = None) -> "ChatTemplate":
        """The template used when the model has none: Gemma's turns for gemma3, ChatML otherwise."""
        special = dict(special_tokens or {})
        eos = [special["eos_token"]] if "eos_token" in special else []
        if architecture == "gemma3":
            return cls(GEMMA_TEMPLATE, special, has_model_template=False, stop_strings=["<end_of_turn>"] + eos)
        return cls(CHATML_TEMPLATE, special, has_model_template=False, stop_strings=["<|im_end|>"] + eos)

    def _guess_stop_strings(self) -> list[str]:
        # The EOS token always ends generation; an end-of-turn marker the template writes does too.
        stops = [marker for marker in END_OF_TURN_MARKERS if marker in self.source]
        if self.special_tokens.get("eos_token"):
            stops.append(self.special_tokens["eos_token"])
        return stops

    def render(self, messages: list[dict], add_generation_prompt: bool = True) -> str:
        """The prompt text for `messages` (each {'role': ..., 'content': ...}).

        With add_generation_prompt, the text ends with the header of an assistant turn, so the
        model's next tokens are its answer.
        """
        checked = _check_messages(messages)
        variables = dict(self.special_tokens)
        variables.update(messages=checked, tools=None, documents=None,
                         add_generation_prompt=bool(add_generation_prompt))
        try:
            return self._template.render(**variables)
        except jinja2.exceptions.TemplateError as exc:
            # raise_exception() from the template, sandbox violations, undefined calls...
            raise TemplateError(f"chat template rejected the conversation: {exc}") from exc
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError) as exc:
            # Template code doing something invalid with our data, e.g. 'a' + 1.
            raise TemplateError(f"chat template failed while rendering: {type(exc).__name__}: {exc}") from exc

    def adds_bos(self, text: str) -> bool:
        """Whether rendered `text` already starts with the BOS token (so the tokenizer must not add another)."""
        bos = self.special_tokens.get("bos_token")
        return bool(bos) and text.startswith(bos)

    def encode(self, tokenizer: Any, messages: list[dict], add_generation_prompt: bool = True) -> list[int]:
        """Render and tokenize, letting the tokenizer add BOS only when the template did not write it."""
        text = self.render(messages, add_generation_prompt=add_generation_prompt)
        return tokenizer.encode(text, add_special=not self.adds_bos(text))

    def __repr__(self) -> str:
        kind = "model" if self.has_model_template else "fallback"
        return f"ChatTemplate({kind}, {len(self.source)} chars, stop_strings={self.stop_strings!r})"
