"""The GPU Plan: one JSON-serializable description of a model's forward pass, replayed by thin executors
(wgpu-py in CPython: precis_oracles.wgpu_executor; JS WebGPU in the browser). Pure stdlib (runs in Pyodide).

Format (`Plan.to_json()`), everything a replayer needs, nothing else:

    {
      "format": "precis-plan", "version": 1,
      "model":     {"architecture", "vocab", "hidden", "layers", "context", ...}   # informative
      "topk": 64,                       # candidates read back per step
      "buffers":   [Buffer...],         # index = position in this list
      "pipelines": [Pipeline...],       # index = position in this list
      "io": {"step": b, "tokens": b, "topk": b, "logits": b},   # buffer indices
      "steps": {"decode":  {"max_tokens": 1,  "dispatches": [Dispatch...]},
                "prefill": {"max_tokens": 32, "dispatches": [Dispatch...]}}
    }

Buffer    {"name", "size" (bytes, multiple of 4), "kind", "usage"}
          kind "weight": filled once from the model file: "file_offset" (absolute byte offset) and
                         "nbytes" (bytes to copy; the rest of `size` is zero padding); "tensor" names it.
                         Or "parts": [[tensor, file_offset, nbytes], ...] copied back to back from byte 0
                         (tensors with the same row format fused into one matrix, e.g. Q|K|V or gate|up).
          kind "kv" / "activation": zero-initialized, owned by the GPU.
          kind "io": written by the executor each step (step, tokens) or read back (topk).
          usage "uniform" (the 16-byte step buffer) or "storage" (everything else; also COPY_SRC/COPY_DST).
Pipeline  {"sources": ["bytes.wgsl", "quant_q4_1.wgsl", "matmul.wgsl"], "entry": "main",
           "constants": {"K": 576, ...}, "enables": ["subgroups"]}
          The shader module is the concatenation, in order, of the files in kernels/ (joined with "\\n").
          "enables" (optional, absent = none): WGSL extensions the module uses, which the executor must
          declare and whose device feature it must request (FEATURE_OF_ENABLE): "subgroups" (feature
          "subgroups") or "f16" (feature "shader-f16"). The kernel files never carry the directive
          themselves: Chrome's Tint needs `enable subgroups;` / `enable f16;` at the top of the module,
          while wgpu's Naga rejects `enable subgroups;` (it runs subgroup builtins once the device has the
          feature) and accepts `enable f16;`. Plans built without adapter features have no "enables".
          Constants are WebGPU pipeline-overridable constants (numbers; booleans as 0/1).
          Bind group layouts are the pipeline's automatic layout (layout: "auto"), group 0.
Dispatch  {"pipeline": p, "bindings": [[binding, buffer, offset, size], ...], "workgroups": [x, y, z],
           "label": "blk.3.ffn_up"}

One step (decode: n_tokens == 1; prefill: 1 <= n_tokens <= max_tokens):
  1. write token ids (u32, n_tokens of them) at offset 0 of io.tokens;
  2. write the step uniform, four u32 {pos, n_tokens, kv_len = pos + n_tokens, 0}, into io.step;
     pos is the position of the first token, i.e. how many tokens the KV cache already holds;
  3. encode every dispatch of the chosen list, in order, into one compute pass (one command buffer), submit;
  4. read back io.topk: 64 pairs of u32 (token id, bitcast f32 logit), best first, for the LAST token.
Dispatch counts are fixed: workgroups past n_tokens (or past kv_len) exit early inside the kernels.
The KV cache persists between steps; to restart a conversation, start again at pos 0 (nothing past kv_len
is ever read, so the cache need not be cleared).

Device needs (WebGPU defaults suffice except the binding size): at most 7 storage buffers + 1 uniform per
dispatch, <= 8.5 KiB workgroup memory, <= 256 invocations per workgroup, no optional features (f32 math,
no f16, no subgroups) unless pipelines list "enables" (then Plan.required_features(), also in
model["features"]); every weight buffer is <= model["max_binding"] bytes, the limit the plan was built
for (request maxStorageBufferBindingSize >= it, or rebuild the plan with the adapter's limit).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

FORMAT = "precis-plan"
VERSION = 1
TOPK = 64
STEP_BYTES = 16           # Step {pos, n_tokens, kv_len, pad}: four u32


# WGSL enable-extension -> the WebGPU device feature it needs.
FEATURE_OF_ENABLE = {"subgroups": "subgroups", "f16": "shader-f16"}


class PlanError(ValueError):
    """The model cannot be planned (unsupported architecture, tensor type or shape); the message says why."""


@dataclass
class Buffer:
    name: str
    size: int
    kind: str                      # weight | kv | activation | io
    usage: str = "storage"         # storage | uniform
    tensor: str | None = None      # weight only
    file_offset: int | None = None
    nbytes: int | None = None
    parts: list | None = None      # weight made of several tensors: [[tensor, file_offset, nbytes], ...]

    def weight_parts(self) -> list:
        """[[tensor, file_offset, nbytes], ...] to copy, back to back, into this weight buffer."""
        return self.parts or [[self.tensor, self.file_offset, self.nbytes]]


@dataclass
class Pipeline:
    sources: list
    entry: str
    constants: dict
    enables: list = field(default_factory=list)   # WGSL extensions ("subgroups", "f16"); see the format


@dataclass
class Dispatch:
    pipeline: int
    bindings: list                 # [[binding, buffer, offset, size], ...]
    workgroups: list               # [x, y, z]
    label: str = ""


@dataclass
class StepList:
    max_tokens: int
    dispatches: list = field(default_factory=list)


@dataclass
class Plan:
    model: dict
    buffers: list
    pipelines: list
    io: dict
    steps: dict                    # "decode" / "prefill" -> StepList
    topk: int = TOPK

    def buffer(self, name: str) -> Buffer:
        for b in self.buffers:
            if b.name == name:
                return b
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {
            "format": FORMAT, "version": VERSION, "model": self.model, "topk": self.topk,
            "buffers": [{k: v for k, v in asdict(b).items() if v is not None} for b in self.buffers],
            # "enables" only when present, so f32 plans serialize exactly as before the field existed.
            "pipelines": [{k: v for k, v in asdict(p).items() if k != "enables" or v} for p in self.pipelines],
            "io": self.io,
            "steps": {name: asdict(s) for name, s in self.steps.items()},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict) -> "Plan":
        if d.get("format") != FORMAT or d.get("version") != VERSION:
            raise PlanError(f"not a {FORMAT} v{VERSION} document")
        return cls(
            model=d["model"], topk=d["topk"], io=d["io"],
            buffers=[Buffer(**b) for b in d["buffers"]],
            pipelines=[Pipeline(**p) for p in d["pipelines"]],
            steps={name: StepList(s["max_tokens"], [Dispatch(**x) for x in s["dispatches"]])
                   for name, s in d["steps"].items()},
        )

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        return cls.from_dict(json.loads(text))

    def required_features(self) -> list:
        """The WebGPU device features the pipelines need (sorted), e.g. ["shader-f16", "subgroups"]."""
        return sorted({FEATURE_OF_ENABLE[e] for p in self.pipelines for e in p.enables})

    def weight_bytes(self) -> int:
        return sum(b.size for b in self.buffers if b.kind == "weight")

    def total_bytes(self) -> int:
        return sum(b.size for b in self.buffers)


class PlanBuilder:
    """Collects buffers and (deduplicated) pipelines, and appends dispatches to the current step list."""

    def __init__(self):
        self.buffers: list[Buffer] = []
        self._buffer_index: dict[str, int] = {}
        self.pipelines: list[Pipeline] = []
        self._pipeline_index: dict[str, int] = {}
        self.current: StepList | None = None

    def buffer(self, name: str, size: int, kind: str, **extra) -> int:
        if name in self._buffer_index:
            return self._buffer_index[name]
        size = max(4, (size + 3) // 4 * 4)
        self.buffers.append(Buffer(name=name, size=size, kind=kind, **extra))
        self._buffer_index[name] = len(self.buffers) - 1
        return self._buffer_index[name]

    def index(self, name: str) -> int:
        return self._buffer_index[name]

    def pipeline(self, sources: list, constants: dict, entry: str = "main", enables: tuple = ()) -> int:
        constants = {k: (int(v) if isinstance(v, bool) else v) for k, v in constants.items()}
        unknown = [e for e in enables if e not in FEATURE_OF_ENABLE]
        if unknown:
            raise PlanError(f"unknown WGSL enable {unknown[0]!r} (known: {', '.join(FEATURE_OF_ENABLE)})")
        key = json.dumps([sources, entry, sorted(constants.items()), sorted(enables)])
        if key not in self._pipeline_index:
            self.pipelines.append(Pipeline(list(sources), entry, constants, sorted(enables)))
            self._pipeline_index[key] = len(self.pipelines) - 1
        return self._pipeline_index[key]

    def dispatch(self, pipeline: int, buffers: list, workgroups, label: str = "") -> None:
        """`buffers`: buffer names (or (name, offset, size)) for bindings 0, 1, 2, ... in order."""
        bindings = []
        for binding, b in enumerate(buffers):
            if isinstance(b, tuple):
                name, offset, size = b
            else:
                name, offset, size = b, 0, None
            idx = self._buffer_index[name]
            bindings.append([binding, idx, offset, self.buffers[idx].size - offset if size is None else size])
        x, y, z = (list(workgroups) + [1, 1])[:3]
        for n in (x, y, z):
            if not 1 <= n <= 65535:
                raise PlanError(f"dispatch {label!r}: workgroup count {n} outside 1..65535")
        self.current.dispatches.append(Dispatch(pipeline, bindings, [x, y, z], label))
