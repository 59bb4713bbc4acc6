// @ts-check
// The WebGPU device (the contract: ./device_contract.js, py/precis/device.py): replays a precis Plan
// (py/precis/plan.py documents the format) with the browser's WebGPU, the JS twin of
// build/precis_oracles/wgpu_executor.py. Python (precis.engine) decides
// everything: the plan, the limits and features to request, what the KV cache holds, the prefill slices.
//
//   const raw = await adapterReport();                 // the adapter, raw, for Python's precis.adapter
//   const device = await createDevice(spec, {kernelsUrl}); // spec from Python: {plan, requiredLimits, requiredFeatures}
//   await device.loadWeights(source, onProgress);      // the file streamed in bounded slices into GPU buffers
//   const {ids, logits} = await device.step(ids, positions, k);   // one step: at most the plan's chunk
//   device.describe(); device.close();                 // close frees every buffer and the device; idempotent
//
// A step writes the token ids and the 16-byte step uniform {pos, n_tokens, kv_len, 0}, encodes every dispatch
// of the decode (1 token) or prefill list into one compute pass, submits, and reads back io.topk: 64 pairs
// (id u32, logit f32 bits), best first.
//
// Failures close the device before they are thrown (no buffer or device outlives a failed create or load:
// liveGpuMemory() counts what is alive) and carry a `kind` for the engine: "out_of_memory", "device_lost",
// "unsupported_model", "internal".

import { DeviceError, checkStep } from "./device_contract.js";
import { streamWeights } from "./model_source.js";

const MiB = 1024 * 1024;
const mib = (n) => `${(n / MiB).toFixed(1)} MiB`;
const POWER_PREFERENCE = "high-performance";   // the one place the adapter is asked for

// What is alive across every device of this worker: tests check that failed loads leave nothing behind.
const live = { devices: 0, buffers: 0, bytes: 0 };
export function liveGpuMemory() {
  return { ...live };
}

async function requestAdapter() {
  if (!("gpu" in navigator)) return { reason: "This browser exposes no WebGPU (navigator.gpu is missing)." };
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: POWER_PREFERENCE });
  if (!adapter) return { reason: "WebGPU is present but no GPU adapter was found." };
  return { adapter };
}

/** The adapter as WebGPU reports it, for precis.adapter.describe_adapter (which makes every decision). */
export async function adapterReport() {
  const { adapter, reason } = await requestAdapter();
  if (!adapter) return { available: false, reason };
  /** @type {Partial<GPUAdapterInfo> & {isFallbackAdapter?: boolean}} */
  const info = adapter.info || {};
  const limits = {};
  for (const name in adapter.limits) limits[name] = adapter.limits[name];
  return {
    available: true,
    info: { vendor: info.vendor || "", architecture: info.architecture || "", device: info.device || "",
      description: info.description || "" },
    // (on GPUAdapter itself before Chrome moved it into info)
    isFallbackAdapter: Boolean(info.isFallbackAdapter || /** @type {{isFallbackAdapter?: boolean}} */ (adapter).isFallbackAdapter),
    features: [...adapter.features],
    limits,
    deviceMemoryGiB: /** @type {{deviceMemory?: number}} */ (navigator).deviceMemory || null,
  };
}

// Kernel sources are fetched once per file and shared by every device of this worker.
const kernelTexts = new Map();
function kernelText(kernelsUrl, file) {
  if (!kernelTexts.has(file)) {
    kernelTexts.set(file, fetch(new URL(file, kernelsUrl)).then((r) => {
      if (!r.ok) throw new DeviceError("internal", `kernel ${file} is missing from the extension (HTTP ${r.status})`);
      return r.text();
    }).catch((e) => { kernelTexts.delete(file); throw e; }));
  }
  return kernelTexts.get(file);
}

/** Runs `make` inside an error scope; a GPU error becomes a DeviceError with `what` in its message. */
async function scoped(device, filter, what, make) {
  device.pushErrorScope(filter);
  let value, thrown;
  try { value = await make(); } catch (e) { thrown = e; }
  const error = await device.popErrorScope();
  if (thrown) throw thrown;
  if (error) {
    if (filter === "out-of-memory") {
      throw new DeviceError("out_of_memory", `The GPU ran out of memory ${what}: ${error.message || "out of memory"}. ` +
        "Close other GPU-heavy tabs, or pick a smaller model.");
    }
    throw new DeviceError("internal", `WebGPU rejected ${what}: ${error.message}`);
  }
  return value;
}

/**
 * Creates the device for `spec` (from precis.engine's prepare); on any failure nothing is left allocated.
 * @type {import("./device_contract.js").CreateDevice}
 */
export async function createDevice(spec, { kernelsUrl, onProgress = () => {} } = {}) {
  const plan = typeof spec.plan === "string" ? JSON.parse(spec.plan) : spec.plan;
  if (plan?.format !== "precis-plan" || plan.version !== 1) throw new DeviceError("internal", "not a precis-plan v1 document");
  const device = new WebGpuDevice(plan, spec);
  try {
    await device.open();
    onProgress(0.3, "Compiling the GPU kernels");
    await device.compile(kernelsUrl);
  } catch (e) {
    device.close();
    throw e instanceof DeviceError ? e : new DeviceError("internal", `Could not prepare the GPU: ${e?.message || e}`);
  }
  return device;
}

class WebGpuDevice {
  constructor(plan, spec) {
    this.plan = plan;
    this.spec = spec;
    this.device = null;
    this.buffers = [];
    this.lost = null;          // the DeviceError to throw once the device is gone
    this.closed = false;
    this.cached = 0;           // positions the KV cache holds (0..cached-1)
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();   // steps run one after another (one staging buffer)
    this.timings = {};
    this.gpuBytes = 0;
    this.name = "";
  }

  async open() {
    const started = performance.now();
    const { adapter, reason } = await requestAdapter();   // an adapter gives one device: ask for a fresh one
    if (!adapter) throw new DeviceError("device_lost", reason);
    this.name = adapter.info?.description || adapter.info?.vendor || "WebGPU adapter";
    try {
      this.device = await adapter.requestDevice({
        requiredLimits: this.spec.requiredLimits || {}, requiredFeatures: this.spec.requiredFeatures || [],
        label: "precis" });
    } catch (e) {
      throw new DeviceError("unsupported_model", `Could not open the GPU device: ${e?.message || e}`);
    }
    live.devices += 1;
    const device = this.device;
    device.lost.then((info) => {
      if (this.closed) return;
      this.lost = new DeviceError("device_lost", `The GPU device was lost (${info.reason || "unknown"}: ` +
        `${info.message || "no details"}).`);
    });
    device.onuncapturederror = (event) => console.error("[webgpu]", event.error?.message);
    const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const uniform = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
    const { plan } = this;
    const total = plan.buffers.reduce((s, b) => s + b.size, 0) + plan.topk * 8;
    await scoped(device, "out-of-memory", `allocating the model's ${mib(total)} of buffers`, () =>
      scoped(device, "validation", "the model's buffers", () => {
        for (const b of plan.buffers) this.#buffer(b.size, b.usage === "uniform" ? uniform : storage, b.name);
        this.readback = this.#buffer(plan.topk * 8, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, "topk readback");
      }));
    this.tokens = this.buffers[plan.io.tokens];
    this.stepUniform = this.buffers[plan.io.step];
    this.topk = this.buffers[plan.io.topk];
    this.timings.device_ms = performance.now() - started;
  }

  #buffer(size, usage, label) {
    const buffer = this.device.createBuffer({ size, usage, label });
    this.buffers.push(buffer);
    this.gpuBytes += size;
    live.buffers += 1;
    live.bytes += size;
    return buffer;
  }

  async compile(kernelsUrl) {
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
            throw new DeviceError("internal", `kernel ${key} does not compile: ` +
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
        /** @type {Record<string, number>} */
        const constants = {};
        for (const [k, v] of Object.entries(p.constants)) constants[k] = Number(v);
        try {
          return await device.createComputePipelineAsync({
            layout: "auto", label: `${i}:${p.sources.at(-1)}`,
            compute: { module, entryPoint: p.entry, constants },
          });
        } catch (e) {
          throw new DeviceError("internal", `pipeline ${i} (${p.sources.join("+")}) failed: ${e?.message || e}`);
        }
      })));
    this.steps = {};
    await scoped(device, "validation", "the bind groups", () => {
      for (const [name, list] of Object.entries(plan.steps)) {
        this.steps[name] = list.dispatches.map((d) => {
          const pipeline = this.pipelines[d.pipeline];
          const group = device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0), label: d.label,
            entries: d.bindings.map(([binding, buf, offset, size]) => (
              { binding, resource: { buffer: this.buffers[buf], offset, size } })),
          });
          return [pipeline, group, d.workgroups];
        });
      }
    });
    this.timings.pipelines_ms = performance.now() - started;
  }

  /** The file ranges to copy into weight buffers, sorted by file offset: [{buffer, start, end, dst, name}]. */
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

  /**
   * Streams the weights from `source` (an open model_source ByteSource, which may hold the header prefix
   * already read) into their buffers. Closes the device on failure.
   */
  /** @param {(fraction: number, bytes: number) => void} [onProgress] */
  async loadWeights(source, onProgress = () => {}) {
    const started = performance.now();
    try {
      this.#checkAlive();
      if (typeof source?.chunks !== "function") throw new DeviceError("bad_input", "loadWeights wants an open model source");
      await scoped(this.device, "validation", "the weight upload", () =>
        streamWeights(source, this.weightRanges(), this.device, onProgress));
      this.#checkAlive();
    } catch (e) {
      this.close();
      if (e instanceof DeviceError) throw e;
      throw new DeviceError(e?.name === "ModelSourceError" ? "unsupported_model" : "internal",
        `Could not load the weights: ${e?.message || e}`);
    }
    this.timings.weights_ms = performance.now() - started;
  }

  #checkAlive() {
    if (this.lost) throw this.lost;
    if (this.closed) throw new DeviceError("device_lost", "the GPU device was closed");
  }

  /** Feeds tokenIds at positions (consecutive, at most the plan's chunk); the top-k after the last token. */
  step(tokenIds, positions, k = this.plan.topk) {
    const run = this.queue.then(() => this.#step(tokenIds, positions, k));
    this.queue = run.catch(() => {});
    return run;
  }

  async #step(tokenIds, positions, k) {
    this.#checkAlive();
    const n = tokenIds.length;
    const pos = positions[0];
    const { plan, device } = this;
    checkStep(tokenIds, positions, k, { cached: this.cached, context: plan.model.context, vocab: plan.model.vocab,
      chunk: plan.steps.prefill.max_tokens });
    device.queue.writeBuffer(this.tokens, 0, Uint32Array.from(tokenIds));
    device.queue.writeBuffer(this.stepUniform, 0, new Uint32Array([pos, n, pos + n, 0]));
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const [pipeline, group, [x, y, z]] of this.steps[n === 1 ? "decode" : "prefill"]) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(x, y, z);
    }
    pass.end();
    encoder.copyBufferToBuffer(this.topk, 0, this.readback, 0, plan.topk * 8);
    device.queue.submit([encoder.finish()]);
    try {
      await this.readback.mapAsync(GPUMapMode.READ);
    } catch (e) {
      // A lost device rejects mapAsync: give device.lost a moment to say so, then say it plainly.
      await Promise.race([device.lost, new Promise((resolve) => setTimeout(resolve, 100))]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      this.#checkAlive();
      throw new DeviceError("internal", `reading the GPU result failed: ${e?.message || e}`);
    }
    this.cached = pos + n;
    const raw = new Uint32Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    const count = Math.min(k, plan.topk);
    const out = { ids: new Int32Array(count), logits: new Float32Array(count) };
    const asFloat = new Float32Array(raw.buffer);
    for (let j = 0; j < count; j++) {
      out.ids[j] = raw[2 * j];
      out.logits[j] = asFloat[2 * j + 1];
    }
    return out;
  }

  describe() {
    return { kind: "webgpu", name: this.name, gpuBytes: this.gpuBytes, chunk: this.plan.steps.prefill.max_tokens,
      context: this.plan.model.context, timings: this.timings };
  }

  /** Frees every buffer and the device. Not a loss: later calls say the device was closed. Idempotent. */
  close() {
    if (this.closed) return;
    this.closed = true;
    for (const buffer of this.buffers) {
      buffer.destroy();
      live.buffers -= 1;
      live.bytes -= buffer.size;
    }
    this.buffers = [];
    if (this.device) {
      this.device.destroy();
      live.devices -= 1;
      this.device = null;
    }
  }
}
