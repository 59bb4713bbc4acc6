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

Untrusted text never becomes a control token. Message contents (the page, its title, a
selection, the user's own words) are data: `render_marked` finds where each content lands in
the rendered prompt (by rendering once more with each content replaced by a unique sentinel),
and `encode` tokenizes those spans with control-token matching off, so `<|im_end|>` or
`<start_of_turn>` written in a page stays text. Only the template's own markers are special.

A hostile template cannot run forever nor fill memory: rendering has a step budget
(RENDER_STEP_BUDGET lines of template code executed), every operation that can build a large
value (`+ * %`, `~`, str methods, filters, block buffers) is checked before it runs against a
per-value ceiling and a per-render budget (_RenderBudget), lipsum/cycler/joiner are gone, and
the output is capped: over any of these it stops with a one-line TemplateError.

A conversation may end with an assistant message marked {"prefix": True}: the answer is
started for the model (the key-points summary starts "- "), rendered after the generation
prompt as untrusted text.

Only jinja2 (+ markupsafe) and the stdlib are needed, so this runs in Pyodide too.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from datetime import datetime
from typing import Any, Iterable

import jinja2
import jinja2.compiler
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from precis.gguf import MAX_TEMPLATE_BYTES  # the ceiling the GGUF reader applies, for templates given directly


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

# The conversation a model's template must render (and the tokenizer encode) when the model is loaded
# (precis.engine's prepare), so a template that fails or runs away is refused before the model is used:
# the shapes the engine sends (a system message, turns of both roles, a generation prompt).
SAMPLE_CONVERSATION = (
    {"role": "system", "content": "You summarize web pages."},
    {"role": "user", "content": "What is this page about?"},
    {"role": "assistant", "content": "A river and its bridges."},
    {"role": "user", "content": "Which bridge is the oldest?"},
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


# Rendering limits. A template is code from the model file: what one render may cost is bounded in steps
# (lines of template code run), in what its operations build, and in output. Real templates build the prompt
# once, with a few copies of each message along the way (Qwen2.5's concatenates each turn: ~2x the contents).
RENDER_STEP_BUDGET = 2_000_000      # lines of template code executed in one render
RENDER_EXTRA_CHARS = 1_000_000      # characters of output beyond 4x the contents
MAX_VALUE_CHARS = 1_000_000         # size one operation may build beyond the contents (a width, a repeat count)
BUILT_PER_CONTENT_CHAR = 64         # all operations of one render build at most this many x the contents,
RENDER_BUILT_CHARS = 16_000_000     # plus this many characters (or list items)
MAX_INT_BITS = 4096                 # integers a template computes (a real one counts turns)
_TEMPLATE_FILE = "<template>"  # the file name Jinja gives code compiled from a string
# Jinja's lipsum() writes paragraphs of filler (unbounded), cycler/joiner keep state: no chat template uses them.
_REMOVED_GLOBALS = ("lipsum", "cycler", "joiner")
# Format specs: `%-50000000s`, `{:>50000000}`: their widths and precisions are sizes too.
_PERCENT_SPEC = re.compile(r"%[-#0 +]*(\d*)(?:\.(\d*))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*\}")
_DIGITS = re.compile(r"\d+")


class _RenderBudget:
    """What one render may still do: a trace function counting template lines run, and the characters
    (or list items) its operations may still build. Over either, it raises TemplateError."""

    def __init__(self, content_chars: int):
        self.steps_left = RENDER_STEP_BUDGET
        self.value_cap = content_chars + MAX_VALUE_CHARS
        self.built_total = content_chars * BUILT_PER_CONTENT_CHAR + RENDER_BUILT_CHARS
        self.built_left = self.built_total

    def check(self, size: int, what: str) -> None:
        """Refuse, before it is built, a value of `size` that is too large or would pass the render's budget."""
        if size > self.value_cap:
            raise TemplateError(f"chat template rendering stopped: {what} would build a value too large "
                                f"({size:,} characters, ceiling {self.value_cap:,})")
        if size > self.built_left:
            raise TemplateError(f"chat template rendering stopped: it built more than {self.built_total:,} "
                                "characters in all")

    def add(self, value: Any, what: str) -> Any:
        """Count a value just built (strings, lists, ...: their length); returns it."""
        if isinstance(value, (str, list, tuple, dict, range)):
            self.check(len(value), what)
            self.built_left -= len(value)
        return value

    def __call__(self, frame, event, arg):
        if frame.f_code.co_filename != _TEMPLATE_FILE:
            return None  # no line tracing outside the template
        return self._line

    def _line(self, frame, event, arg):
        if event == "line":
            self.steps_left -= 1
            if self.steps_left < 0:
                raise TemplateError(f"chat template rendering stopped: it ran more than {RENDER_STEP_BUDGET:,} steps "
                                    f"(a template that loops without end?)")
        return self._line


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(str(value))


def _format_estimate(fmt: str, args: Iterable, style: str) -> int:
    """An upper bound on the size of `fmt` formatted with `args` (style "%" or "{}": str.format): every
    field may hold the largest argument, padded by every width written in the format."""
    if style == "%":
        widths = [int(n) for m in _PERCENT_SPEC.finditer(fmt) for n in m.groups() if n]
    else:
        widths = [int(n) for field in _BRACE_FIELD.findall(fmt) for n in _DIGITS.findall(field)]
    largest = max(map(_text_len, args), default=0)
    return len(fmt) + (fmt.count("%") + fmt.count("{")) * largest + sum(widths)


def _replace_estimate(s: Any, old: Any, new: Any, count: Any = -1) -> int:
    if not all(isinstance(x, str) for x in (s, old, new)):
        return 0
    places = s.count(old) if old else len(s) + 1
    if isinstance(count, int) and count >= 0:
        places = min(places, count)
    return len(s) + places * max(0, len(new) - len(old))


def _join_estimate(sep: Any, items: list) -> int:
    return sum(map(_text_len, items)) + _text_len(sep) * max(0, len(items) - 1)


def _indent_estimate(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    pad = width if isinstance(width, int) else _text_len(width)
    return _text_len(s) + (str(s).count("\n") + 1) * max(0, pad)


def _width_estimate(s: Any, width: Any = 80, *_: Any, **__: Any) -> int:
    return max(_text_len(s), width if isinstance(width, int) else 0)


# Size estimates (before the call) of the filters that can build much more than they are given;
# arguments as the filter gets them after its context argument. Every filter's result is counted after.
_FILTER_ESTIMATES = {
    "center": _width_estimate,
    "indent": _indent_estimate,
    "format": lambda value, *args, **kwargs: _format_estimate(
        str(value), list(args) + list(kwargs.values()), "%"),
    "replace": lambda s, old="", new="", count=None: _replace_estimate(
        str(s), str(old), str(new), -1 if count is None else count),
    "wordwrap": lambda s, width=79, break_long_words=True, wrapstring=None, *_: _text_len(s) * (
        1 + (len(wrapstring) if isinstance(wrapstring, str) else 1)),
    "truncate": lambda s, length=255, killwords=False, end="...", *_: _text_len(s) + _text_len(end),
}

# The same for str methods a template may call ('x'.center(n), sep.join(items), fmt.format(...)).
_STR_METHOD_ESTIMATES = {
    "center": _width_estimate, "ljust": _width_estimate, "rjust": _width_estimate, "zfill": _width_estimate,
    "replace": _replace_estimate,
    "expandtabs": lambda s, tabsize=8: len(s) + s.count("\t") * max(0, tabsize if isinstance(tabsize, int) else 0),
    "format": lambda fmt, *args, **kwargs: _format_estimate(fmt, list(args) + list(kwargs.values()), "{}"),
    "format_map": lambda fmt, mapping: _format_estimate(fmt, list(mapping.values()) if isinstance(mapping, dict)
                                                        else [], "{}"),
}
_REFUSED_STR_METHODS = frozenset(("translate", "maketrans"))  # map one character to any text: no template needs it


def _check_size_arguments(budget: _RenderBudget, args: Iterable, what: str) -> None:
    """An integer argument is a width, a count or a size: none may pass what one value may be."""
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > budget.value_cap:
            raise TemplateError(f"chat template rendering stopped: {what} was given a size too large "
                                f"({value:,}, ceiling {budget.value_cap:,})")


def _check_int_bits(bits: int, what: str) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateError(f"chat template rendering stopped: {what} computes a number too large "
                            f"(over {MAX_INT_BITS} bits)")


class _BoundedCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's compiler, with `a ~ b` going through the environment's bounded concatenation."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with every operation that can build a large value checked against `budget` (a
    _RenderBudget, set for each render): `+ * ** %`, `~`, calls (str methods: estimated first), filters
    (estimated first where they can grow), and the block buffers ({% set %}...{% endset %}, macros)."""
    intercepted_binops = frozenset(["+", "*", "**", "%"])
    code_generator_class = _BoundedCodeGenerator
    budget: _RenderBudget

    def __init__(self, **options):
        super().__init__(**options)
        for name in _REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}
        self.budget = _RenderBudget(0)

    def concat(self, pieces) -> str:  # noqa: D102 (Jinja joins block and macro buffers with this)
        pieces = list(pieces)
        self.budget.check(sum(map(len, pieces)), "a block of template output")
        return self.budget.add("".join(pieces), "a block of template output")

    def bounded_concat(self, values) -> str:
        texts = [str(v) for v in values]
        self.budget.check(sum(map(len, texts)), "'~'")
        return self.budget.add("".join(texts), "'~'")

    def call_binop(self, context, operator, left, right):
        what = f"{operator!r}"
        if isinstance(left, int) and isinstance(right, int) and not isinstance(left, bool) \
                and not isinstance(right, bool):
            if operator == "*":
                _check_int_bits(left.bit_length() + right.bit_length(), what)
            elif operator == "**":
                _check_int_bits(left.bit_length() * abs(right), what)
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
            raise TemplateError("chat template rendering stopped: it computes a number too large")
        elif operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sized, (str, list, tuple)) and isinstance(count, int):
                self.budget.check(len(sized) * max(0, count), what)
        elif operator == "+" and (isinstance(left, str) and isinstance(right, str) or
                                  isinstance(left, (list, tuple)) and isinstance(right, (list, tuple))):
            self.budget.check(len(left) + len(right), what)
        elif operator == "%" and isinstance(left, str):
            args = right if isinstance(right, tuple) else list(right.values()) if isinstance(right, dict) else [right]
            self.budget.check(_format_estimate(left, args, "%"), what)
        return self.budget.add(super().call_binop(context, operator, left, right), what)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        name = getattr(__obj, "__name__", "a function")
        what = f"{name}()"
        _check_size_arguments(__self.budget, list(args) + list(kwargs.values()), what)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            if name in _REFUSED_STR_METHODS:
                raise TemplateError(f"chat template rendering stopped: str.{name}() is not available to templates")
            if name == "join":
                args = (list(args[0]),) if len(args) == 1 and not kwargs else args
                if len(args) == 1:
                    __self.budget.check(_join_estimate(owner, args[0]), what)
            estimate = _STR_METHOD_ESTIMATES.get(name)
            if estimate is not None:
                try:
                    __self.budget.check(estimate(owner, *args, **kwargs), what)
                except TypeError:
                    pass  # wrong arguments: the call itself says so
        return __self.budget.add(super().call(__context, __obj, *args, **kwargs), what)

    def _bounded_filter(self, name: str, f):
        skip = 1 if getattr(f, "jinja_pass_arg", None) is not None else 0  # the context Jinja passes first
        estimate = _FILTER_ESTIMATES.get(name)
        what = f"the {name} filter"

        @functools.wraps(f)
        def bounded(*args, **kwargs):
            _check_size_arguments(self.budget, list(args[skip + 1:]) + list(kwargs.values()), what)
            if name == "join" and len(args) > skip:
                items = list(args[skip])
                if kwargs.get("attribute", args[skip + 2] if len(args) > skip + 2 else None) is None:
                    sep = kwargs.get("d", args[skip + 1] if len(args) > skip + 1 else "")
                    self.budget.check(_join_estimate(sep, items), what)
                args = args[:skip] + (items,) + args[skip + 1:]
            elif estimate is not None and len(args) > skip:
                try:
                    self.budget.check(estimate(*args[skip:], **kwargs), what)
                except TypeError:
                    pass  # wrong arguments: the filter itself says so
            return self.budget.add(f(*args, **kwargs), what)

        return bounded


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


def _make_environment() -> _BoundedSandbox:
    env = _BoundedSandbox(trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = env._bounded_filter("tojson", _tojson)
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
        if len(source) > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"the chat template is {len(source):,} characters long, over the ceiling of "
                                f"{MAX_TEMPLATE_BYTES:,}")
        self._env = _make_environment()
        try:
            self._template = self._env.from_string(source)
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
        model's next tokens are its answer. A final assistant message with "prefix": True is
        written after that header (the answer's start).
        """
        return self.render_marked(messages, add_generation_prompt)[0]

    def _render_checked(self, checked: list, add_generation_prompt: bool) -> str:
        variables = dict(self.special_tokens)
        variables.update(messages=checked, tools=None, documents=None,
                         add_generation_prompt=bool(add_generation_prompt))
        content_chars = sum(len(m["content"]) for m in checked)
        limit = content_chars * 4 + RENDER_EXTRA_CHARS
        budget = self._env.budget = _RenderBudget(content_chars)
        previous = sys.gettrace()
        sys.settrace(budget)
        try:
            out, size = [], 0
            for piece in self._template.generate(**variables):
                out.append(piece)
                size += len(piece)
                if size > limit:
                    raise TemplateError(f"chat template rendering stopped: its output passed {limit:,} characters")
            return "".join(out)
        except TemplateError:
            raise
        except jinja2.exceptions.TemplateError as exc:
            # raise_exception() from the template, sandbox violations, undefined calls...
            raise TemplateError(f"chat template rejected the conversation: {exc}") from exc
        except RecursionError as exc:
            raise TemplateError("chat template rendering stopped: it recursed too deep") from exc
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError) as exc:
            # Template code doing something invalid with our data, e.g. 'a' + 1.
            raise TemplateError(f"chat template failed while rendering: {type(exc).__name__}: {exc}") from exc
        finally:
            sys.settrace(previous)

    def render_marked(self, messages: list[dict], add_generation_prompt: bool = True) -> tuple:
        """(prompt text, [(start, end)] of the untrusted text in it: every message's content).

        The template renders the real contents (the text transformers gives), and once more with
        each content replaced by a sentinel; the sentinel render's template text, matched
        against the real one, tells where each content (as written, or as the template trimmed
        it) lies. A template that branches on a content's text so that the two renders part
        gets the sentinel render with the contents put in as written: safe, if not identical.
        """
        checked = _check_messages(messages)
        prefix = ""
        if checked and checked[-1]["role"] == "assistant" and checked[-1].get("prefix"):
            prefix = checked.pop()["content"]
            add_generation_prompt = True
        text = self._render_checked(checked, add_generation_prompt)
        contents = [m["content"] for m in checked]
        tag = "\U000f0000"
        while any(tag in c for c in contents):
            tag += "\U000f0001"
        sentinel = lambda i: f"{tag}{i}\U000f0002"  # noqa: E731
        marked_messages = [dict(m, content=sentinel(i)) for i, m in enumerate(checked)]
        marked = self._render_checked(marked_messages, add_generation_prompt)
        pieces = re.split(re.escape(tag) + "(\\d+)\U000f0002", marked)
        spans = _locate_contents(text, pieces, contents)
        if spans is None:
            spans = _locate_transformed_contents(text, pieces, contents)
        if spans is None:
            out, spans = [], []
            for k, piece in enumerate(pieces):
                if k % 2:
                    start = sum(map(len, out))
                    out.append(contents[int(piece)])
                    spans.append((start, start + len(out[-1])))
                else:
                    out.append(piece)
            text = "".join(out)
        if prefix:
            spans.append((len(text), len(text) + len(prefix)))
            text += prefix
        return text, _merge_spans(spans)

    def check(self, tokenizer: Any) -> None:
        """Render and encode SAMPLE_CONVERSATION, as a model is loaded: a template that fails, or passes
        its bounds, on an ordinary conversation raises TemplateError (a tokenizer that cannot encode it,
        TokenizerError)."""
        self.encode(tokenizer, list(SAMPLE_CONVERSATION), add_generation_prompt=True)

    def adds_bos(self, text: str) -> bool:
        """Whether rendered `text` already starts with the BOS token (so the tokenizer must not add another)."""
        bos = self.special_tokens.get("bos_token")
        return bool(bos) and text.startswith(bos)

    def encode(self, tokenizer: Any, messages: list[dict], add_generation_prompt: bool = True) -> list[int]:
        """Render and tokenize: the template's own markers are special tokens, the contents are
        text (no control token can come from them); the tokenizer adds BOS only when the
        template did not write it."""
        text, spans = self.render_marked(messages, add_generation_prompt=add_generation_prompt)
        return tokenizer.encode(text, add_special=not self.adds_bos(text), plain_spans=spans)

    def __repr__(self) -> str:
        kind = "model" if self.has_model_template else "fallback"
        return f"ChatTemplate({kind}, {len(self.source)} chars, stop_strings={self.stop_strings!r})"


def _locate_contents(text: str, pieces: list, contents: list):
    """Spans of the contents in `text`, given the sentinel render split into [template text,
    content index, template text, ...]; None when `text` is not that template text around the
    contents (as written or trimmed)."""
    spans, pos = [], 0
    for k, piece in enumerate(pieces):
        if k % 2 == 0:
            if not text.startswith(piece, pos):
                return None
            pos += len(piece)
            continue
        content = contents[int(piece)]
        following = pieces[k + 1] if k + 1 < len(pieces) else ""
        for form in dict.fromkeys((content, content.strip(), content.rstrip(), content.lstrip())):
            if text.startswith(form, pos) and (following == "" or text.startswith(following, pos + len(form))):
                spans.append((pos, pos + len(form)))
                pos += len(form)
                break
        else:
            return None
    return spans if pos == len(text) else None


def _locate_transformed_contents(text: str, pieces: list, contents: list):
    """Spans of the contents in `text` when the template cut them (Qwen3 keeps only what follows
    '</think>'): the template text is found in order, and what lies between must be a part of
    the content of that place. A content that copies template text cannot move the split: the
    text it pushes into the next place is no part of that place's content, and the search ends
    exactly at the end. None when that does not hold."""
    spans, pos = [], 0
    if not text.startswith(pieces[0]):
        return None
    pos = len(pieces[0])
    for k in range(1, len(pieces), 2):
        content = contents[int(pieces[k])]
        following = pieces[k + 1]
        last = k + 2 >= len(pieces)
        end = (len(text) - len(following) if text.endswith(following) else -1) if last else \
            (text.find(following, pos) if following else -1)
        if end < pos or text[pos:end] not in content:
            return None
        spans.append((pos, end))
        pos = end + len(following)
    return spans if pos == len(text) else None


def _merge_spans(spans: list) -> list:
    out: list = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
