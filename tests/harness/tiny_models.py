"""Tiny random-weight models of every family we claim, made the way a user's file is made: a Hugging Face
model (transformers, from a config), converted by llama.cpp's own convert_hf_to_gguf.py and quantized by
llama.cpp's own quantizer (llama_cpp.llama_model_quantize). The tests use them as outside oracles.

    hf_dir = build_hf_model("qwen2", out_dir)          # config.json + model.safetensors + tokenizer
    f32 = convert_to_gguf(hf_dir, out_dir / "qwen2-F32.gguf")
    q = quantize(f32, out_dir / "qwen2-Q4_K_M.gguf", "Q4_K_M")

The tokenizer is SmolLM2's (from the packaged default model): a real byte-level BPE with its real `smollm`
pre-tokenizer, which llama.cpp's converter recognizes. The converter comes from the llama-cpp-python source
distribution that `precis setup --test-models` unpacks into vendor/llama.cpp (LLAMA_CPP_CONVERTER).

Shapes are tiny (hidden 256, a multiple of 256 so that K-quants are used rather than their fallbacks;
2-6 layers; vocab 49152) so the whole matrix runs in CI; the weights' scale is
large (EMBED_STD) so the next-token distribution is peaked and greedy comparisons are not decided by rounding.
Each family names, in `FAMILIES`, the small things that make it that family (rope scaling, biases, windows...).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from precis_build.errors import UserError
from precis_build.paths import SMOLLM2_MODEL, LLAMA_CPP_CONVERTER

SEED = 1234
# Weight scales (normal, mean 0), chosen so the models are neither chaotic nor trivial: what reads the input
# (q, k, gate, up) is small, so attention stays soft and SiLU/GELU near linear, and llama.cpp's 8-bit
# activations do not flip the top token; what writes the residual (v, o, down) is large, so the layers, not the
# token's own embedding, decide the next token (with tied embeddings a small-weight model just repeats its
# input). Embeddings / output head: logits within about +-10. llama.cpp computes quantized matmuls with its
# activations rounded to 8 bits, which moves logits by 2-4% of their spread whatever the scale (measured:
# up to 0.5 here); larger embeddings only scale the noise with the gaps, and tied embeddings then make the
# model repeat its input (every top-1 the input token at EMBED_STD 0.3).
READ_STD = 0.05
WRITE_STD = 0.08
EMBED_STD = 0.1 
WRITES = ("v_proj", "o_proj", "down_proj")
VOCAB = 49152            # SmolLM2's tokenizer
COMMON = dict(vocab_size=VOCAB, hidden_size=256, intermediate_size=512, num_attention_heads=4,
              num_key_value_heads=2, rms_norm_eps=1e-6, bos_token_id=1, eos_token_id=2, pad_token_id=2)

# family -> (transformers config class, config overrides). Context lengths are small on purpose: rope
# scaling that starts at "original context 32" shows within the tests' 40-token sequences.
FAMILIES = {
    # Llama 3.x: rope_type llama3 becomes the rope_freqs.weight tensor in the GGUF.
    "llama3": ("LlamaConfig", dict(num_hidden_layers=2, max_position_embeddings=256,
                                   tie_word_embeddings=True,
                                   rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                                                    "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                    "original_max_position_embeddings": 32})),
    # Mistral (7B v0.3-style: no sliding window): llama.cpp's converter writes it as architecture "llama".
    "mistral": ("MistralConfig", dict(num_hidden_layers=2, head_dim=64, max_position_embeddings=256,
                                      sliding_window=None, tie_word_embeddings=False,
                                      rope_parameters={"rope_type": "default", "rope_theta": 1e6})),
    # Qwen2.5: q/k/v biases, tied embeddings.
    "qwen2": ("Qwen2Config", dict(num_hidden_layers=2, max_position_embeddings=256, tie_word_embeddings=True,
                                  use_sliding_window=False,
                                  rope_parameters={"rope_type": "default", "rope_theta": 1e6})),
    # Qwen3: q/k RMSNorm per head; with YaRN (as Qwen3's long-context configs).
    "qwen3": ("Qwen3Config", dict(num_hidden_layers=2, head_dim=64, max_position_embeddings=128,
                                  tie_word_embeddings=True, use_sliding_window=False,
                                  rope_parameters={"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0,
                                                   "original_max_position_embeddings": 32})),
    # Phi-4-mini-like: fused qkv and gate|up, partial rotary 0.75, LongRoPE factors: the short ones up to the
    # original context of 256 (llama.cpp rounds its context up to a multiple of 256 before choosing).
    "phi3": ("Phi3Config", dict(num_hidden_layers=2, max_position_embeddings=1024,
                                original_max_position_embeddings=256, tie_word_embeddings=True,
                                sliding_window=None,
                                rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0,
                                                 "partial_rotary_factor": 0.75,
                                                 "short_factor": [1.0 + 0.15 * i for i in range(24)],
                                                 "long_factor": [1.0 + 2.0 * i for i in range(24)]})),
    # Gemma 3 1B shape: head dim 256, 4 heads : 1 kv head, 5 local (window 8) : 1 global layers.
    "gemma3-1b": ("Gemma3TextConfig", dict(num_hidden_layers=6, num_attention_heads=4, num_key_value_heads=1,
                                           head_dim=256, query_pre_attn_scalar=256, sliding_window=8,
                                           max_position_embeddings=256,
                                           rope_parameters={
                                               "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                                               "full_attention": {"rope_type": "default", "rope_theta": 1e6}})),
    # Gemma 3 4B shape: 8 heads : 4 kv heads of 256, linear rope scaling x8 on the global layers only.
    "gemma3-4b": ("Gemma3TextConfig", dict(num_hidden_layers=6, num_attention_heads=8, num_key_value_heads=4,
                                           head_dim=256, query_pre_attn_scalar=256, sliding_window=8,
                                           max_position_embeddings=256,
                                           rope_parameters={
                                               "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0},
                                               "full_attention": {"rope_type": "linear", "factor": 8.0,
                                                                  "rope_theta": 1e6}})),
    # SmolLM3: every 4th layer without rotary embedding.
    "smollm3": ("SmolLM3Config", dict(num_hidden_layers=4, max_position_embeddings=256, tie_word_embeddings=True,
                                      no_rope_layer_interval=4, use_sliding_window=False,
                                      rope_parameters={"rope_type": "default", "rope_theta": 1e6})),
}
GGUF_ARCHITECTURE = {"llama3": "llama", "mistral": "llama", "qwen2": "qwen2", "qwen3": "qwen3", "phi3": "phi3",
                     "gemma3-1b": "gemma3", "gemma3-4b": "gemma3", "smollm3": "smollm3"}


def converter_script() -> Path:
    script = LLAMA_CPP_CONVERTER / "convert_hf_to_gguf.py"
    if not script.exists():
        raise UserError(f"{script} is missing: run `precis setup --test-models` (it unpacks llama.cpp's "
                        "converter from the llama-cpp-python source distribution)")
    return script


def write_tokenizer(out_dir: Path) -> None:
    """SmolLM2's tokenizer as Hugging Face files, read from the packaged GGUF by transformers. transformers'
    GGUF loader drops SmolLM2's digit split (docs/PLATFORM.md): put it back, so the tokenizer is SmolLM2's own
    and llama.cpp's converter recognizes its pre-tokenizer ("smollm")."""
    import transformers
    tok = transformers.AutoTokenizer.from_pretrained(str(SMOLLM2_MODEL.parent), gguf_file=SMOLLM2_MODEL.name)
    tok.save_pretrained(str(out_dir))
    path = out_dir / "tokenizer.json"
    data = json.loads(path.read_text())
    data["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]}
    path.write_text(json.dumps(data, ensure_ascii=False))
    cfg_path = out_dir / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["tokenizer_class"] = "GPT2Tokenizer"   # phi3's converter reads a BPE vocab only for this class
    cfg_path.write_text(json.dumps(cfg, indent=1))


def build_hf_model(family: str, out_dir: Path, tokenizer_dir: Path) -> Path:
    """A random-weight transformers model of `family` (fixed seed) saved with the tokenizer in out_dir."""
    import torch
    import transformers
    config_class, overrides = FAMILIES[family]
    config = getattr(transformers, config_class)(**dict(COMMON, **overrides))
    torch.manual_seed(SEED)
    model = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed" in name or "lm_head" in name:
                p.normal_(0.0, EMBED_STD)
            elif p.dim() >= 2:
                p.normal_(0.0, WRITE_STD if any(w in name for w in WRITES) else READ_STD)
            elif "norm" in name and family.startswith("gemma3"):
                p.normal_(0.0, 0.1)     # Gemma norms are (1 + w): w near 0, not exactly 0
            elif "norm" in name:
                p.normal_(1.0, 0.1)
            else:                       # biases
                p.normal_(0.0, READ_STD)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    for f in tokenizer_dir.iterdir():
        shutil.copy(f, out_dir / f.name)
    return out_dir


def convert_to_gguf(hf_dir: Path, out: Path) -> Path:
    """llama.cpp's convert_hf_to_gguf.py, F32 output (run through this module's __main__, below)."""
    converter_script()
    env = dict(os.environ)
    env.pop("NO_LOCAL_GGUF", None)     # the converter uses the gguf-py it ships with
    r = subprocess.run([sys.executable, __file__, str(hf_dir), str(out)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0 or not out.exists():
        tail = (r.stderr or r.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"convert_hf_to_gguf.py failed on {hf_dir}: " + " | ".join(tail))
    return out


def _run_converter(hf_dir: str, out: str) -> None:
    """convert_hf_to_gguf.py HF_DIR --outfile OUT --outtype f32, in this process. transformers 5 overrides the
    tokenizer class our files name (GPT2Tokenizer) for qwen2 and phi3 with their own (Qwen2Tokenizer..., which
    rebuild the pre-tokenizer, so llama.cpp no longer recognizes SmolLM2's): trust the files, as transformers
    4, with which the converter was written, did."""
    import runpy
    from transformers.models.auto import tokenization_auto
    tokenization_auto.MODELS_WITH_INCORRECT_HUB_TOKENIZER_CLASS.difference_update({"qwen2", "phi3"})
    script = converter_script()
    sys.path.insert(0, str(script.parent))
    # The name matters to llama.cpp: a name containing "phi3" makes it set Phi-3's special-token attributes,
    # which need Phi-3's own vocabulary.
    sys.argv = [str(script), hf_dir, "--outfile", out, "--outtype", "f32", "--model-name", "precis-tiny"]
    runpy.run_path(str(script), run_name="__main__")


def quantize(src: Path, dst: Path, type_name: str) -> Path:
    """llama.cpp's quantizer: `type_name` is a llama.cpp file type (Q8_0, Q4_K_M, Q5_K_M, Q6_K, ...)."""
    import llama_cpp
    ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{type_name}", None)
    if ftype is None:
        raise ValueError(f"llama.cpp has no file type {type_name!r}")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = 2
    rc = llama_cpp.llama_model_quantize(str(src).encode(), str(dst).encode(), params)
    if rc != 0 or not dst.exists():
        raise RuntimeError(f"llama_model_quantize({src.name} -> {type_name}) returned {rc}")
    return dst


class TinyModels:
    """Builds each family's files once, on first use, under `root` (a test session's temporary folder):

        models = TinyModels(root)
        models.hf_dir("qwen2")              # the transformers model
        models.gguf("qwen2", "Q4_K_M")      # converted (F32), then quantized by llama.cpp
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self._tokenizer = None

    def tokenizer_dir(self) -> Path:
        if self._tokenizer is None:
            d = self.root / "tokenizer"
            if not (d / "tokenizer.json").exists():
                d.mkdir(parents=True, exist_ok=True)
                write_tokenizer(d)
            self._tokenizer = d
        return self._tokenizer

    def hf_dir(self, family: str) -> Path:
        d = self.root / family
        if not (d / "config.json").exists():
            build_hf_model(family, d, self.tokenizer_dir())
        return d

    def gguf(self, family: str, type_name: str = "F32") -> Path:
        f32 = self.root / f"{family}-F32.gguf"
        if not f32.exists():
            convert_to_gguf(self.hf_dir(family), f32)
        if type_name == "F32":
            return f32
        out = self.root / f"{family}-{type_name}.gguf"
        if not out.exists():
            quantize(f32, out, type_name)
        return out


if __name__ == "__main__":
    _run_converter(sys.argv[1], sys.argv[2])
