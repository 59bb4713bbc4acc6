"""`precis generate`: run a model on a prompt from the command line, streaming the text.

    precis generate [--model MODEL] [--backend numpy] (--prompt TEXT [--chat] | --prompt-ids 1,2,3)
                    [--max-tokens N] [--temperature T] [--seed S] [--json]

--chat wraps the prompt as one user message in the model's chat template (its own, or the
fallback for its architecture). --json prints {"ids": [...generated ids], "text": "..."}
instead of streaming. --prompt-ids feeds token ids as given (no tokenizer, no template), for exact
comparisons with other implementations. Greedy by default (temperature 0).

It runs the extension's engine (precis.engine.Engine.greedy: its prefill slices, its generation loop) over a
CPython device (precis_build.device_engines); the streamed text reaches stdout the way it reaches the panel,
riding on the device's steps (precis.device)."""

import json
import sys

from precis.chat_template import ChatTemplate, TemplateError
from precis.tokenizer import Tokenizer, TokenizerError
from precis_build.device_engines import DEVICES, engine_on
from precis_build.errors import UserError
from precis_build.model_file import MODEL_HELP, open_model, resolve_model_path


def register(subparsers) -> None:
    p = subparsers.add_parser("generate", help="generate text from a prompt (streams to stdout)")
    p.add_argument("--model", help=MODEL_HELP)
    p.add_argument("--backend", default="numpy", choices=DEVICES,
                   help="numpy: the CPU reference model; wgpu: our WGSL kernels through wgpu-py")
    prompt = p.add_mutually_exclusive_group(required=True)
    prompt.add_argument("--prompt", help="the prompt text")
    prompt.add_argument("--prompt-ids", help="the prompt as comma-separated token ids, e.g. 1,2,3")
    p.add_argument("--chat", action="store_true", help="wrap the prompt in the model's chat template")
    p.add_argument("--max-tokens", type=int, default=128, help="most tokens to generate (default 128)")
    p.add_argument("--temperature", type=float, default=0.0, help="0 = greedy (default)")
    p.add_argument("--seed", type=int, help="random seed for sampling")
    p.add_argument("--json", action="store_true", help='print {"ids": [...], "text": "..."} at the end')
    p.set_defaults(func=run)


def parse_prompt_ids(text: str, vocab: int) -> list:
    """"1, 2,3" -> [1, 2, 3]; anything else, or an id outside the vocabulary, is a UserError."""
    try:
        ids = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise UserError(f"--prompt-ids must be comma-separated integers, got {text!r}") from None
    bad = [i for i in ids if not 0 <= i < vocab]
    if bad:
        raise UserError(f"--prompt-ids: token id {bad[0]} is outside the vocabulary [0, {vocab})")
    return ids


def prompt_ids(gguf, tokenizer, prompt: str, chat: bool):
    """Token ids of the prompt, and the stop strings its template adds (chat only)."""
    if not chat:
        return tokenizer.encode(prompt), []
    template = ChatTemplate.from_gguf(gguf)
    ids = template.encode(tokenizer, [{"role": "user", "content": prompt}], add_generation_prompt=True)
    return ids, template.stop_strings


def stream(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def run(args) -> int:
    if args.max_tokens < 0:
        raise UserError(f"--max-tokens must be >= 0, got {args.max_tokens}")
    gguf = open_model(args.model)
    try:
        tokenizer = Tokenizer.from_gguf(gguf)
        if args.prompt_ids is not None:
            if args.chat:
                raise UserError("--chat applies to --prompt text, not to --prompt-ids")
            ids, stop_strings = parse_prompt_ids(args.prompt_ids, gguf.tensors["token_embd.weight"].dims[1]), []
        else:
            ids, stop_strings = prompt_ids(gguf, tokenizer, args.prompt, args.chat)
    except (TokenizerError, TemplateError, ValueError) as e:
        raise UserError(str(e)) from None
    if not ids:
        raise UserError("the prompt is empty (no tokens)")
    context = gguf.arch_value("context_length")
    if context and len(ids) + args.max_tokens > context:
        raise UserError(f"prompt ({len(ids)} tokens) + --max-tokens {args.max_tokens} "
                        f"exceeds the model's context of {context}")
    if args.max_tokens == 0:
        result = {"ids": [], "text": ""}
    else:
        engine, device = engine_on(args.backend, resolve_model_path(args.model), len(ids) + args.max_tokens,
                                   on_text=None if args.json else stream)
        try:
            answer = engine.handle("greedy", {"prompt_ids": ids, "max_tokens": args.max_tokens,
                                              "stop_ids": sorted(tokenizer.eos_ids), "stop_strings": stop_strings,
                                              "temperature": args.temperature, "seed": args.seed})
        finally:
            device.close()
        if "error" in answer:
            raise UserError(f"{args.backend} backend: {answer['error']['message']}")
        result = answer["value"]
    if args.json:
        print(json.dumps({"ids": result["ids"], "text": result["text"]}, ensure_ascii=False))
    else:
        sys.stdout.write("\n")
    return 0
