// Replays a precis Plan (py/precis/plan.py documents the format) with the browser's WebGPU: the JS twin of
// build/precis_build/wgpu_executor.py. Python builds the plan; this file only runs it.
//
//   const gpu = await openGpu();                               // adapter (its limits go to Python's planner)
//   const ex = await PlanExecutor.create(gpu, plan, {kernelsUrl}); // device, buffers, pipelines, bind groups
//   uploadWeights(fileBytes, ex.weightRanges(), ex.device);    // or streamWeights(source, ...): model_source.js
//   const {ids, logits} = await ex.feed(tokenIds, pos);        // prefill chunks then the top-k of the last token
//
// The engine worker uses the entry points at the bottom: attachExecutor() once Python's Session has a model
// (plans it in Python with this adapter's limits, builds the executor, plugs precis.browser_backend's step into
// the session), generateIds() (greedy ids: tests, benchmarks) and loseDeviceForTest().
//
// Per chunk: write the token ids and the 16-byte step uniform {pos, n_tokens, kv_len, 0}, encode every
// dispatch of the step list into one compute pass, submit. Only after the last chunk is io.topk copied to a
// MAP_READ staging buffer and read back: 64 pairs (id u32, logit f32 bits), best first.
//
// A lost device (driver reset, GPU removed, or destroyed behind our back) makes every later call fail with
// GpuDeviceLost; precis.browser_backend then asks for a new executor (fresh adapter and device) on its next step.

import { uploadWeights } from "./model_source.js";

export class GpuUnavailable extends Error {}
export class GpuDeviceLost extends Error {}
export class GpuOutOfMemory extends Error {}

const MiB = 1024 * 1024;
const mib = (n) => `${(n / MiB).toFixed(1)} MiB`;

// Adapter limits the plan may need raised above WebGPU's defaults: requested at the adapter's value.
const RAISED_LIMITS = ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX"];

/** The adapter, described for Python's planner and for the user. */
export async function openGpu() {
  if (!("gpu" in navigator)) throw new GpuUnavailable("This browser exposes no WebGPU (navigator.gpu is missing).");
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new GpuUnavailable("WebGPU is present but no GPU adapter was found.");
  const info = adapter.info || {};
  const limits = {};
  for (const name of [...RAISED_LIMITS, "maxStorageBuffersPerShaderStage", "maxComputeWorkgroupsPerDimension",
    "maxUniformBufferBindingSize"]) limits[name] = adapter.limits[name];
  // CPU implementations of WebGPU (SwiftShader, llvmpipe/lavapipe) prefer the plan's per-row prefill matmul.
  const described = [info.vendor, info.architecture, info.device, info.description].join(" ");
  const isCpu = Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter) ||
    /swiftshader|llvmpipe|lavapipe|software/i.test(described);
  return {
    adapter,
    isCpu,
    name: info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(" ") || "unknown adapter",
    features: [...adapter.features].sort(),
    limits,
  };
}

// WGSL enable-extension -> the device feature it needs (the same table as py/precis/plan.py).
const FEATURE_OF_ENABLE = { subgroups: "subgroups", f16: "shader-f16" };

// Kernel sources are fetched once per file and shared by every executor of this worker.
const kernelTexts = new Map();
function kernelText(kernelsUrl, file) {
  if (!kernelTexts.has(file)) {
    kernelTexts.set(file, fetch(new URL(file, kernelsUrl)).then((r) => {
      if (!r.ok) throw new Error(`kernel ${file} is missing from the extension (HTTP ${r.status})`);
      return r.text();
    }).catch((e) => { kernelTexts.delete(file); throw e; }));
  }
  return kernelTexts.get(file);
}

/** Runs `make` inside an error scope; a GPU error becomes an exception with `what` in its message. */
async function scoped(device, filter, what, make) {
  device.pushErrorScope(filter);
  let value, thrown;
  try { value = await make(); } catch (e) { thrown = e; }
  const error = await device.popErrorScope();
  if (thrown) throw thrown;
  if (error) {
    if (filter === "out-of-memory") {
      throw new GpuOutOfMemory(`The GPU ran out of memory ${what}: ${error.message || "out of memory"}. ` +
        "Close other GPU-heavy tabs, or pick a smaller model.");
    }
    throw new Error(`WebGPU rejected ${what}: ${error.message}`);
  }
  return value;
}

export class PlanExecutor {
  /**
   * gpu: from openGpu(); plan: the parsed Plan JSON; kernelsUrl: URL of the extension's kernels/ folder.
   * Creates the device, every buffer (weights zeroed until loadWeights), pipelines and bind groups.
   */
  static async create(gpu, plan, { kernelsUrl, onProgress = () => {} } = {}) {
    if (plan?.format !== "precis-plan" || plan.version !== 1) throw new Error("not a precis-plan v1 document");
    const ex = new PlanExecutor(gpu, plan);
    await ex.#createDevice();
    await ex.#createBuffers();
    onProgress(0.5, "Compiling the GPU kernels");
    await ex.#createPipelines(kernelsUrl);
    ex.#createBindGroups();
    return ex;
  }

  constructor(gpu, plan) {
    this.gpu = gpu;
    this.plan = plan;
    this.device = null;
    this.lost = null;          // the GpuDeviceLost to throw once the device is gone
    this.closing = false;
    this.queue = Promise.resolve();   // feeds run one after another (one staging buffer)
    this.timings = {};
  }

  // Limits the plan needs, checked against the adapter before asking for them.
  #requiredLimits() {
    const { plan } = this;
    const lim = this.gpu.adapter.limits;
    let biggest = 0, biggestBinding = 0, storagePerStage = 0;
    for (const b of plan.buffers) biggest = Math.max(biggest, b.size);
    for (const list of Object.values(plan.steps)) {
      for (const d of list.dispatches) {
        let storage = 0;
        for (const [, buf, , size] of d.bindings) {
          if (plan.buffers[buf].usage !== "uniform") {
            storage += 1;
            biggestBinding = Math.max(biggestBinding, size);
          }
        }
        storagePerStage = Math.max(storagePerStage, storage);
      }
    }
    const problems = [];
    if (biggest > lim.maxBufferSize) problems.push(`a ${mib(biggest)} buffer (the adapter allows ${mib(lim.maxBufferSize)})`);
    if (biggestBinding > lim.maxStorageBufferBindingSize) {
      problems.push(`a ${mib(biggestBinding)} storage binding (the adapter allows ${mib(lim.maxStorageBufferBindingSize)})`);
    }
    if (storagePerStage > lim.maxStorageBuffersPerShaderStage) {
      problems.push(`${storagePerStage} storage buffers in one kernel (the adapter allows ${lim.maxStorageBuffersPerShaderStage})`);
    }
    if (problems.length) throw new GpuUnavailable(`This GPU cannot run the model: it needs ${problems.join(" and ")}.`);
    const required = { maxStorageBuffersPerShaderStage: Math.max(storagePerStage, 8) };
    for (const name of RAISED_LIMITS) required[name] = lim[name];
    required.maxStorageBuffersPerShaderStage = Math.min(required.maxStorageBuffersPerShaderStage,
      lim.maxStorageBuffersPerShaderStage);
    return required;
  }

  // Optional features the plan's kernel variants use (pipelines' "enables"; plan.py FEATURE_OF_ENABLE).
  #requiredFeatures() {
    const needed = new Set();
    for (const p of this.plan.pipelines) for (const e of p.enables || []) needed.add(FEATURE_OF_ENABLE[e] || e);
    const missing = [...needed].filter((f) => !this.gpu.adapter.features.has(f));
    if (missing.length) {
      throw new GpuUnavailable(`This GPU cannot run the model's plan: it needs the WebGPU feature(s) ${missing.join(", ")}.`);
    }
    return [...needed];
  }

  async #createDevice() {
    const started = performance.now();
    let device;
    try {
      device = await this.gpu.adapter.requestDevice({
        requiredLimits: this.#requiredLimits(), requiredFeatures: this.#requiredFeatures(), label: "precis" });
    } catch (e) {
      if (e instanceof GpuUnavailable) throw e;
      throw new GpuUnavailable(`Could not open the GPU device: ${e?.message || e}`);
    }
    this.device = device;
    device.lost.then((info) => {
      if (this.closing) return;
      this.lost = new GpuDeviceLost(`The GPU device was lost (${info.reason || "unknown"}: ` +
        `${info.message || "no details"}). The model must be loaded again on a new device.`);
    });
    // Errors nobody scoped (there should be none) are logged rather than lost silently.
    device.onuncapturederror = (event) => console.error("[webgpu]", event.error?.message);
    this.timings.device_ms = performance.now() - started;
  }

  async #createBuffers() {
    const { plan, device } = this;
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const uniform = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
    const total = plan.buffers.reduce((s, b) => s + b.size, 0);
    this.totalBytes = total;
    this.buffers = await scoped(device, "out-of-memory", `allocating the model's ${mib(total)} of buffers`, () =>
      scoped(device, "validation", "the model's buffers", () => plan.buffers.map((b) =>
        device.createBuffer({ size: b.size, usage: b.usage === "uniform" ? uniform : storage, label: b.name }))));
    this.readback = device.createBuffer({
      size: plan.topk * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: "topk readback",
    });
    this.tokens = this.buffers[plan.io.tokens];
    this.stepUniform = this.buffers[plan.io.step];
    this.topk = this.buffers[plan.io.topk];
  }

  async #createPipelines(kernelsUrl) {
    const started = performance.now();
    const { plan, device } = this;
    const modules = new Map();   // "a.wgsl+b.wgsl" -> GPUShaderModule (pipelines share modules)
    const moduleFor = async (sources, enables) => {
      const key = [...enables.map((e) => `enable ${e}`), ...sources].join("+");
      if (!modules.has(key)) {
        modules.set(key, (async () => {
          // Tint needs every WGSL extension the module uses declared at its top (enable subgroups; ...).
          const directives = enables.map((e) => `enable ${e};\n`).join("");
          const code = directives + (await Promise.all(sources.map((s) => kernelText(kernelsUrl, s)))).join("\n");
          const module = device.createShaderModule({ code, label: key });
          const info = await module.getCompilationInfo();
          const errors = info.messages.filter((m) => m.type === "error");
          if (errors.length) {
            throw new Error(`kernel ${key} does not compile: ` +
              errors.map((m) => `line ${m.lineNum}: ${m.message}`).join("; "));
          }
          return module;
        })());
      }
      return modules.get(key);
    };
    this.pipelines = await scoped(device, "validation", "a kernel pipeline", () => Promise.all(
      plan.pipelines.map(async (p, i) => {
        const module = await moduleFor(p.sources, p.enables || []);
        const constants = {};
        for (const [k, v] of Object.entries(p.constants)) constants[k] = Number(v);
        try {
          return await device.createComputePipelineAsync({
            layout: "auto", label: `${i}:${p.sources.at(-1)}`,
            compute: { module, entryPoint: p.entry, constants },
          });
        } catch (e) {
          throw new Error(`pipeline ${i} (${p.sources.join("+")}) failed: ${e?.message || e}`);
        }
      })));
    this.timings.pipelines_ms = performance.now() - started;
  }

  #createBindGroups() {
    const { plan, device } = this;
    this.steps = {};
    for (const [name, list] of Object.entries(plan.steps)) {
      this.steps[name] = {
        maxTokens: list.max_tokens,
        encoded: list.dispatches.map((d) => {
          const pipeline = this.pipelines[d.pipeline];
          const group = device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0), label: d.label,
            entries: d.bindings.map(([binding, buf, offset, size]) => (
              { binding, resource: { buffer: this.buffers[buf], offset, size } })),
          });
          return [pipeline, group, d.workgroups];
        }),
      };
    }
  }

  get vocab() { return this.plan.model.vocab; }
  get context() { return this.plan.model.context; }
  get chunk() { return this.plan.steps.prefill.max_tokens; }

  /**
   * The file ranges to copy into weight buffers, by file offset: [{buffer, start, end, dst, name}], one per part
   * (a weight is one tensor's bytes, or several tensors' ("parts") back to back from byte 0 of its buffer).
   */
  weightRanges() {
    const ranges = [];
    this.plan.buffers.forEach((b, i) => {
      if (b.kind !== "weight") return;
      const parts = b.parts || [[b.tensor, b.file_offset, b.nbytes]];
      let dst = 0;
      for (const [tensor, offset, nbytes] of parts) {
        ranges.push({ buffer: this.buffers[i], start: offset, end: offset + nbytes, dst, name: `${b.name}:${tensor}` });
        dst += nbytes;
      }
    });
    return ranges.sort((a, b) => a.start - b.start);
  }

  #checkAlive() {
    if (this.lost) throw this.lost;
    if (this.closing) throw new GpuDeviceLost("the GPU executor was closed");
  }

  /**
   * Feeds token ids at positions pos, pos+1, ... (prefill chunks of plan max_tokens, single tokens use the
   * decode list) and returns the top-k after the last one: {ids: Int32Array, logits: Float32Array}, best first.
   * One call per generation step from Python.
   */
  feed(tokenIds, pos) {
    const run = this.queue.then(() => this.#feed(tokenIds, pos));
    this.queue = run.catch(() => {});
    return run;
  }

  async #feed(tokenIds, pos) {
    this.#checkAlive();
    const ids = Uint32Array.from(tokenIds);
    const n = ids.length;
    if (n === 0) throw new Error("no tokens to feed");
    if (!Number.isInteger(pos) || pos < 0 || pos + n > this.context) {
      throw new Error(`positions ${pos}..${pos + n - 1} exceed the context of ${this.context} tokens`);
    }
    for (const id of tokenIds) {
      if (!(id >= 0 && id < this.vocab)) throw new Error(`token id ${id} outside the vocabulary 0..${this.vocab - 1}`);
    }
    const { device } = this;
    const chunk = this.chunk;
    for (let i = 0; i < n; i += chunk) {
      const piece = ids.subarray(i, Math.min(n, i + chunk));
      const step = this.steps[piece.length === 1 ? "decode" : "prefill"];
      const start = pos + i;
      device.queue.writeBuffer(this.tokens, 0, piece);
      device.queue.writeBuffer(this.stepUniform, 0, new Uint32Array([start, piece.length, start + piece.length, 0]));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (const [pipeline, group, [x, y, z]] of step.encoded) {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(x, y, z);
      }
      pass.end();
      if (i + chunk >= n) encoder.copyBufferToBuffer(this.topk, 0, this.readback, 0, this.plan.topk * 8);
      device.queue.submit([encoder.finish()]);
    }
    try {
      await this.readback.mapAsync(GPUMapMode.READ);
    } catch (e) {
      // A lost device rejects mapAsync: give device.lost a moment to say so, then say it plainly.
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 100))]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.#checkAlive();
      throw new Error(`reading the GPU result failed: ${e?.message || e}`);
    }
    const raw = new Uint32Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    const k = this.plan.topk;
    const out = { ids: new Int32Array(k), logits: new Float32Array(k) };
    const asFloat = new Float32Array(raw.buffer);
    for (let j = 0; j < k; j++) {
      out.ids[j] = raw[2 * j];
      out.logits[j] = asFloat[2 * j + 1];
    }
    return out;
  }

  /** Frees the device (its buffers with it). Not a loss: later calls say the executor was closed. */
  close() {
    if (this.closing) return;
    this.closing = true;
    this.device?.destroy();
  }
}

// ---- the engine worker's plug-in: Python plans, this module runs --------------------------------------------

const KERNELS_URL = new URL("../../kernels/", import.meta.url);
let attached = null;   // {backend (PyProxy of precis.browser_backend.BrowserBackend), session, executor, info}

/** Builds an executor for `plan` on a fresh adapter + device and fills its weights from `weights` (Uint8Array of
 * the whole file, or a function returning one for the duration of the upload). */
async function buildExecutor(plan, weights, progress, gpu = null) {
  const started = performance.now();
  gpu ??= await openGpu();   // an adapter gives one device: a rebuild asks for a new adapter
  const ex = await PlanExecutor.create(gpu, plan, { kernelsUrl: KERNELS_URL, onProgress: progress });
  const t0 = performance.now();
  progress(0.7, "Copying the weights to the GPU");
  await weights((bytes) => uploadWeights(bytes, ex.weightRanges(), ex.device));
  await ex.device.queue.onSubmittedWorkDone();
  ex.timings.weights_ms = performance.now() - t0;
  ex.timings.executor_ms = performance.now() - started;
  return ex;
}

/**
 * Called by engine_worker.js once Python's Session has loaded a model (session.gguf: the parsed file, whole):
 * plans the model for this adapter (Python), builds the executor, and plugs its step into the session with
 * session.use_executor(backend.step, backend.context). Returns what the panel shows.
 */
export async function attachExecutor({ pyodide, session, progress = () => {}, context = null, chunk = null }) {
  const started = performance.now();
  detachExecutor();
  const gpu = await openGpu();
  const planner = pyodide.pyimport("precis.browser_backend");
  const gguf = session.gguf;
  let plan;
  const tPlan = performance.now();
  try {
    // The adapter's features pick kernel variants (subgroups); the device then requests what the plan uses.
    const kwargs = { cpu_adapter: gpu.isCpu, features: gpu.features };
    if (context) kwargs.context = context;
    if (chunk) kwargs.chunk = chunk;
    const planProxy = planner.plan_for_adapter.callKwargs(gguf, gpu.limits, kwargs);
    plan = JSON.parse(planProxy.to_json());
    planProxy.destroy();
  } finally {
    planner.destroy();
  }
  const planMs = performance.now() - tPlan;
  // The weights come from Python's copy of the file (zero-copy view of the wasm heap), also after a device loss.
  const view = gguf.view;   // borrowed from gguf: both live until detachExecutor()
  const weights = async (use) => {
    const buffer = view.getBuffer("u8");
    try { await use(buffer.data); } finally { buffer.release(); }
  };
  const executor = await buildExecutor(plan, weights, progress, gpu);
  const rebuild = async () => {
    const fresh = await buildExecutor(plan, weights, () => {});
    if (attached) attached.executor = fresh;
    return fresh;
  };
  const BrowserBackend = pyodide.pyimport("precis.browser_backend").BrowserBackend;
  const backend = BrowserBackend.callKwargs(executor, plan.model, { rebuild });
  BrowserBackend.destroy();
  const step = backend.step;
  session.use_executor(step, plan.model.context);
  step.destroy();
  const info = {
    adapter: gpu.name,
    cpuAdapter: gpu.isCpu,
    tiledPrefill: !gpu.isCpu,
    features: gpu.features,
    context: plan.model.context,
    chunk: plan.steps.prefill.max_tokens,
    gpuMiB: Math.round(executor.totalBytes / MiB),
    dispatches: { decode: plan.steps.decode.dispatches.length, prefill: plan.steps.prefill.dispatches.length },
    timings: {
      plan_ms: Math.round(planMs),
      device_ms: Math.round(executor.timings.device_ms),
      pipelines_ms: Math.round(executor.timings.pipelines_ms),
      weights_ms: Math.round(executor.timings.weights_ms),
      total_ms: Math.round(performance.now() - started),
    },
  };
  attached = { backend, session, executor, gguf, view, info };
  return info;
}

/** Frees the current executor (a new model is coming, or the worker is closing). */
export function detachExecutor() {
  if (!attached) return;
  attached.executor.close();
  attached.backend.destroy();
  attached.view.destroy();
  attached.gguf.destroy();
  attached = null;
}

/**
 * Greedy ids from the attached model: the prompt in one step, then max_tokens - 1 decode steps (tests and
 * benchmarks); fresh=false continues after what the previous call fed. Leaves the session's cache bookkeeping reset, since the KV cache now holds this prompt.
 * Returns {ids, prompt_tokens, ttft_s, decode_s, decode_tokens_per_s, recoveries}.
 */
export async function generateIds(pyodide, promptIds, maxTokens, { stopIds = [], fresh = true } = {}) {
  if (!attached) throw new Error("no model is loaded on the GPU");
  const { backend, session } = attached;
  const greedy = backend.greedy;
  try {
    let result;
    try {
      result = await greedy.callPromisingKwargs(pyodide.toPy(promptIds), maxTokens, pyodide.toPy(stopIds), { fresh });
    } catch (e) {
      // A Python exception carries its whole traceback: its last line is the message.
      if (e?.type) throw new Error(e.message.trim().split("\n").pop());
      throw e;
    }
    const value = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
    value.recoveries = backend.recoveries;
    return value;
  } finally {
    greedy.destroy();
    const step = backend.step;
    session.use_executor(step, backend.context);
    step.destroy();
  }
}

/** Test hook: destroys the device behind the executor's back, as a driver reset would; returns the error a
 * step on the lost executor gives. The backend's next step builds a new device. */
export async function loseDeviceForTest() {
  if (!attached) throw new Error("no model is loaded on the GPU");
  const { executor } = attached;
  executor.device.destroy();
  await executor.device.lost;
  await new Promise((resolve) => setTimeout(resolve, 0));   // our lost handler runs first
  try {
    await executor.feed([0], 0);
  } catch (e) {
    return { name: e.constructor.name, message: e.message };
  }
  throw new Error("a step on the lost device did not fail");
}
