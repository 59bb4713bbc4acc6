"""Hostile model files are refused at the door: the CLI (tokenize, prompt, inspect) says so in one line with
exit 2, within 5 s and under 500 MB peak RSS (issue 15's Done-when bounds; the code before took 42 s and
3.2 GB on a 16 MB control token, 46 s on a lipsum template). The files are the real default model with one
part of its header replaced (precis_build.hostile_models). Also the bounds themselves, in process."""

import os
import subprocess
import sys
import tempfile
import time

import pytest

from precis.chat_template import ChatTemplate, TemplateError
from precis.engine import Engine, error_info
from precis.gguf import GGUFError, MAX_MERGES, MAX_TEMPLATE_BYTES, MAX_TOKEN_BYTES, MAX_VOCAB_TOKENS, open_gguf
from precis.tokenizer import Tokenizer, TokenizerError
from precis_build.hostile_models import CASES, write_hostile
from precis_build.paths import REPO_ROOT

SECONDS = 5
PEAK_BYTES = 500 << 20

# What each refusal says (the same words in every command).
REFUSALS = {
    "huge_control_token": "token #3 of 'tokenizer.ggml.tokens' is 16,777,216 bytes long, over the ceiling of 4,096 bytes",
    "too_many_merges": "'tokenizer.ggml.merges': 1,900,000 entries, over the ceiling of 1,048,576",
    "merge_result_not_in_vocabulary": "tokenizer.ggml.merges[0] = 'Ġ t' uses 'Ġt', which is not in the vocabulary",
    "template_lipsum": "chat template rejected the conversation: 'lipsum' is undefined",
    "template_center_50mb": "chat template rendering stopped: the center filter was given a size too large "
                            "(50,000,000, ceiling 1,000,",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, smollm2_path):
    """case -> path (None: the unchanged copy), plus a page for `precis prompt`."""
    out = tmp_path_factory.mktemp("hostile")
    files = {case: write_hostile(smollm2_path, out / f"{case or 'unchanged'}.gguf", case) for case in (None, *CASES)}
    page = out / "page.txt"
    page.write_text("The stone bridge over the Vell river in Esterby is the oldest in the county.\n")
    files["page"] = page
    return files


def run_cli(*args):
    """(exit status, stdout, stderr, seconds, peak RSS bytes) of `precis ARGS` in a fresh process, measured
    by /usr/bin/time (a child forked from pytest itself would count pytest's pages as its peak)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT / "py"), str(REPO_ROOT / "build")]))
    with tempfile.NamedTemporaryFile("r") as timing:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", timing.name,
                               sys.executable, "-m", "precis_build.cli", *map(str, args)],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=120)
        seconds, peak_kib = timing.read().split()[-2:]
    return proc.returncode, proc.stdout, proc.stderr, float(seconds), int(peak_kib) << 10


def command_args(command, model, page):
    return {"tokenize": ("tokenize", "--model", model, "hello there"),
            "prompt": ("prompt", page, "--model", model, "--json"),
            "inspect": ("inspect", model)}[command]


@pytest.mark.parametrize("command", ["tokenize", "prompt", "inspect"])
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_model_is_refused_in_one_line_quickly_and_in_bounded_memory(hostile, case, command):
    rc, out, err, seconds, peak = run_cli(*command_args(command, hostile[case], hostile["page"]))
    assert (rc, out) == (2, ""), err
    assert err.count("\n") == 1 and err.startswith(f"precis {command}: "), err
    assert REFUSALS[case] in err, err
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak < PEAK_BYTES, f"{peak >> 20} MB"


def test_the_unchanged_copy_still_loads(hostile, smollm2_path):
    # The writer changes nothing but the named part: its unchanged copy is the real file and runs.
    assert hostile[None].read_bytes() == smollm2_path.read_bytes()
    rc, out, err, _, _ = run_cli("tokenize", "--model", hostile[None], "hello there")
    assert (rc, out, err) == (0, "[28120, 665]\n", "")
    rc, out, err, _, _ = run_cli("prompt", hostile["page"], "--model", hostile[None], "--json")
    assert rc == 0 and '"ids": [1, 9690, 198' in out, err


def test_the_browser_path_refuses_from_the_first_header_bytes_as_unsupported_model(hostile):
    # The panel reads a 4 MB prefix first: a bound broken there is a refusal at once, not a request for
    # more bytes (only a header cut short asks for more).
    data = hostile["huge_control_token"].read_bytes()
    engine = Engine()
    engine.set_adapter({"available": True, "info": {"description": "test"}})
    with pytest.raises(GGUFError) as refused:
        engine.prepare(data[:4 << 20], len(data), "huge.gguf")
    assert error_info(refused.value) == {"kind": "unsupported_model",
                                         "message": f"This model file cannot be used: {REFUSALS['huge_control_token']}"}
    assert engine.prepare(data[:1 << 10], len(data), "huge.gguf") == {"need_bytes": 4 << 20}


def test_prepare_refuses_a_template_that_fails_on_a_sample_conversation(hostile):
    data = hostile["template_lipsum"].read_bytes()
    engine = Engine()
    engine.set_adapter({"available": True, "info": {"description": "test"}})
    with pytest.raises(TemplateError) as refused:
        engine.prepare(data, len(data), "lipsum.gguf")
    assert error_info(refused.value)["kind"] == "unsupported_model"
    assert engine._prepared is None


def test_the_ceilings_hold_every_real_model(smollm2_gguf, gemma3_gguf):
    # Measured: Gemma 3 262,144 tokens; Qwen2.5 151,387 merges and 256-byte tokens; Llama 3 ~280k merges.
    assert MAX_VOCAB_TOKENS >= 4 * 262_144 and MAX_MERGES >= 3 * 280_000 and MAX_TOKEN_BYTES >= 16 * 256
    for gguf in (smollm2_gguf, gemma3_gguf):
        Tokenizer.from_gguf(gguf)
        ChatTemplate.from_gguf(gguf).check(Tokenizer.from_gguf(gguf))


def test_a_merge_with_an_operand_not_in_the_vocabulary_is_refused():
    with pytest.raises(TokenizerError, match=r"merges\[1\] = 'a bc' uses 'bc', which is not in the vocabulary"):
        Tokenizer(kind="gpt2", tokens=["a", "b", "ab", "abc"], token_types=[1, 1, 1, 1], merges=["a b", "a bc"])


def test_a_long_special_token_is_refused_by_the_tokenizer():
    with pytest.raises(TokenizerError, match="special token 1 is 1,025 characters long, over the ceiling of 1,024"):
        Tokenizer(kind="gpt2", tokens=["a", "x" * 1025, "aa"], token_types=[1, 3, 1], merges=["a a"])


def test_a_template_over_its_ceiling_is_refused_before_it_compiles():
    with pytest.raises(TemplateError, match="262,145 characters long, over the ceiling of 262,144"):
        ChatTemplate("x" * (MAX_TEMPLATE_BYTES + 1))


MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}]


@pytest.mark.parametrize("source, refusal", [
    ("{{ lipsum(3) }}", "'lipsum' is undefined"),
    ("{{ cycler(1, 2).next() }}", "'cycler' is undefined"),
    ("{{ joiner(',')() }}", "'joiner' is undefined"),
    ("{{ 'x'.center(50000000) }}", "center() was given a size too large (50,000,000"),
    ("{{ 'x'.ljust(50000000) }}", "ljust() was given a size too large"),
    ("{{ 'x'|indent(900000) ~ ('\n' * 900000)|indent(900000) }}", "indent filter would build a value too large"),
    ("{{ '%50000000s' % 'x' }}", "'%' would build a value too large"),
    ("{{ '%s' | format('x' * 900000) ~ '%s%s%s' | format('x' * 900000, 1, 2) }}", "format filter would build"),
    ("{{ '{:>50000000}'.format('x') }}", "format() would build a value too large"),
    ("{{ '{0:>50000000}'.format('x') }}", "format() would build a value too large"),
    ("{{ ['a'] * 50000000 }}", "'*' would build a value too large"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
     "'~' would build a value too large"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}",
     "'+' would build a value too large"),
    ("{{ ('x' * 900000).replace('x', 'yy') }}", "replace() would build a value too large"),
    ("{{ ('x' * 900000)|replace('x', 'yy') }}", "replace filter would build a value too large"),
    ("{{ (['x' * 900000] * 10)|join }}", "join filter would build a value too large"),
    ("{{ ','.join(['x' * 900000] * 10) }}", "join() would build a value too large"),
    ("{{ ('\t' * 1000).expandtabs(100000) }}", "expandtabs() would build a value too large"),
    ("{{ 'ab'.translate({97: 'x'}) }}", "str.translate() is not available to templates"),
    ("{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
     "'*' computes a number too large"),
    ("{% for i in range(30) %}{% set block %}{{ 'x' * 900000 }}{{ 'x' * 900000 }}{% endset %}{% endfor %}",
     "a block of template output would build a value too large"),
    ("{% for i in range(100) %}{% set s = 'x' * 900000 %}{% endfor %}", "built more than 16,000,"),
])
def test_template_operations_are_bounded(source, refusal):
    start = time.monotonic()
    with pytest.raises(TemplateError) as refused:
        ChatTemplate(source).render(MESSAGES)
    assert refusal in str(refused.value) and "\n" not in str(refused.value)
    assert time.monotonic() - start < SECONDS


def test_bounded_operations_still_give_jinjas_results():
    source = ("{{ 'x'|center(5) }}|{{ 'ab'.rjust(4, '.') }}|{{ '%-4s|' % 'a' }}{{ '{:>3}'.format(7) }}|"
              "{{ ['a', 'b']|join(', ') }}|{{ messages|map(attribute='role')|join('+') }}|{{ 'a-b'.replace('-', '--') }}|"
              "{{ 'q' ~ 1 ~ none }}|{{ [1] * 3 }}|{{ 2 ** 10 }}|{% set b %}{{ 'in' + 'side' }}{% endset %}{{ b }}|"
              "{{ 'a\nb'|indent(2, true) }}|{{ messages|tojson }}")
    assert ChatTemplate(source).render(MESSAGES) == (
        "  x  |..ab|a   |  7|a, b|system+user|a--b|q1None|[1, 1, 1]|1024|inside|  a\n  b|"
        '[{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}]')


def test_a_long_content_is_not_refused_by_the_bounds():
    # The ceilings grow with the contents: a 3 MB page passes through ChatML's concatenations.
    page = "word " * 600_000
    text = ChatTemplate.fallback("llama").render([{"role": "system", "content": page}, {"role": "user", "content": "q"}])
    assert text.startswith("<|im_start|>system\nword word") and len(text) > 3_000_000


def test_a_header_string_over_its_ceiling_is_refused_at_its_length():
    # The vocabulary's ceiling, checked before the 5,000 bytes are read.
    import struct
    from test_gguf import gguf, kv, s
    token = b"\x10\x00\x00\x00\x00\x00\x00\x00" + b"y" * 16
    body = gguf([kv("general.architecture", 8, s("llama")),
                 kv("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 2) + token + s("x" * 5000))])
    with pytest.raises(GGUFError, match="token #1 of 'tokenizer.ggml.tokens' is 5,000 bytes long, over the ceiling"):
        open_gguf(body)
