"""The one model check (precis.model_spec.check_model): a malformed file is refused with the same one line by
the GPU plan's check, the numpy reference, `precis inspect` and `precis generate`, and a good file's family
options are read as llama.cpp reads them."""

import json
import subprocess
import sys

import numpy as np
import pytest
from gguf import GGUFWriter

from precis.gguf import open_gguf
from precis.model_plan import build_plan, check_model
from precis.model_spec import ModelSpecError
from precis.plan import PlanError
from precis_oracles.reference.model import ReferenceModel

H, F, V = 64, 96, 100


def write_gguf(path, arch="llama", tensors=True, bad_norm=False, metadata=None):
    """A 1-layer llama-shaped GGUF with random F32 weights (hidden 64, 2 heads of 32, FFN 96, vocab 100)."""
    rng = np.random.default_rng(0)
    w = GGUFWriter(str(path), arch)
    w.add_block_count(1)
    w.add_embedding_length(H)
    w.add_feed_forward_length(F)
    w.add_head_count(2)
    w.add_head_count_kv(2)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_context_length(128)
    for key, value in (metadata or {}).items():
        w.add_float32(f"{arch}.{key}", value) if isinstance(value, float) else w.add_string(f"{arch}.{key}", value)
    if tensors:
        def t(name, *shape):
            w.add_tensor(name, rng.standard_normal(shape).astype(np.float32))
        t("token_embd.weight", V, H)
        t("output_norm.weight", H)
        t("blk.0.attn_norm.weight", H // 2 if bad_norm else H)
        t("blk.0.ffn_norm.weight", H)
        for name, shape in [("attn_q", (H, H)), ("attn_k", (H, H)), ("attn_v", (H, H)), ("attn_output", (H, H)),
                            ("ffn_gate", (F, H)), ("ffn_up", (F, H)), ("ffn_down", (H, F))]:
            t(f"blk.0.{name}.weight", *shape)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def precis(*args):
    return subprocess.run([sys.executable, "-m", "precis_build.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


MALFORMED = {
    "wrong-norm-shape": (dict(bad_norm=True), "tensor blk.0.attn_norm.weight: expected 64 F32 values, got F32 (32,)"),
    "no-tensors": (dict(tensors=False), "the model file has no tensors"),
    "unsupported-rope-scaling": (dict(metadata={"rope.scaling.type": "dynamic-ntk"}),
                                 "rope scaling 'dynamic-ntk' is not supported (none, linear, yarn, longrope)"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_file_is_refused_in_one_line_everywhere(tmp_path, case):
    kwargs, reason = MALFORMED[case]
    path = write_gguf(tmp_path / f"{case}.gguf", **kwargs)
    g = open_gguf(path)
    for refuse in (check_model, build_plan, ReferenceModel.from_gguf):
        with pytest.raises(ModelSpecError) as e:
            refuse(g)
        assert str(e.value) == reason
        assert isinstance(e.value, PlanError)          # what the engine already catches
    r = precis("inspect", path)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["supported"] is False and info["reason"] == reason and "memory" not in info
    for backend in ("numpy", "wgpu"):
        r = precis("generate", "--model", path, "--backend", backend, "--prompt-ids", "1,2,3")
        assert r.returncode == 2 and r.stdout == ""
        assert r.stderr.splitlines() == [f"precis generate: {path}: {reason}"]


def test_good_tiny_file_is_supported_with_its_memory(tmp_path):
    path = write_gguf(tmp_path / "ok.gguf")
    r = precis("inspect", path, "--context", 100)
    info = json.loads(r.stdout)
    assert info["supported"] is True and "reason" not in info
    mem = info["memory"]
    assert mem["context"] == 100
    assert mem["kv_cache"] == 2 * 100 * 64 * 4           # K and V: positions x kv width x f32, one layer
    weights = 4 * (V * H + 2 * H + H + 4 * H * H + 3 * F * H)   # every tensor, F32, padded to 4 bytes
    assert mem["weights"] == weights
    assert mem["total"] == mem["weights"] + mem["kv_cache"] + mem["activations"]
    r = precis("inspect", path, "--context", 0)
    assert r.returncode == 2 and r.stderr.strip() == "precis inspect: --context must be positive, got 0"


def test_generate_takes_prompt_ids(tmp_path, smollm2_path):
    ids = [1, 4093, 198, 1780, 314]
    expected = ReferenceModel.from_gguf(open_gguf(smollm2_path)).greedy(ids, 3)
    r = precis("generate", "--model", smollm2_path, "--prompt-ids", ",".join(map(str, ids)),
               "--max-tokens", 3, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ids"] == expected
    r = precis("generate", "--model", smollm2_path, "--prompt-ids", "1,49152")
    assert r.returncode == 2
    assert r.stderr.strip() == "precis generate: --prompt-ids: token id 49152 is outside the vocabulary [0, 49152)"


def test_rope_scaling_metadata_reaches_the_spec(tmp_path):
    """Linear scaling (as Gemma 3 4B's global layers) divides positions; YaRN's ramp uses llama.cpp's
    correction dims (ggml_rope_yarn_corr_dims with beta_fast 32, beta_slow 1)."""
    lin = check_model(open_gguf(write_gguf(tmp_path / "lin.gguf",
                                           metadata={"rope.scaling.type": "linear", "rope.scaling.factor": 4.0})))
    assert [L.freq_scale for L in lin.layer] == [0.25] and lin.ext_factor == 0.0
    yarn = check_model(open_gguf(write_gguf(tmp_path / "yarn.gguf",
                                            metadata={"rope.scaling.type": "yarn", "rope.scaling.factor": 4.0})))
    assert yarn.ext_factor == 1.0 and yarn.layer[0].freq_scale == 0.25
    # rope dim 32, original context 128 (= context_length), base 10000:
    # 32 ln(128 / (32 * 2 pi)) / (2 ln 10000) = -0.78 -> floor, at least 0: 0; the same with 1: 5.24 -> ceil 6.
    assert yarn.corr_dims == (0.0, 6.0)
    assert yarn.yarn_mscale(0) == pytest.approx(1 + 0.1 * np.log(4.0))
