// @ts-check
// The CPU device: llama.cpp compiled to WebAssembly (npm @wllama/wllama 2.4.0, copied to vendor/js/wllama/ by
// `precis setup`) runs the model's layers where the browser has no real GPU. It implements the device contract
// (./device_contract.js, py/precis/device.py):
//
//   const device = await createDevice({context, threads, batch}, {onLog});
//   await device.loadWeights(an open model_source.js source, (fraction, bytesDone) => ...);
//   const {ids, logits} = await device.step(Int32Array ids, Int32Array positions, k);
//   device.describe();  // {kind: "cpu", name, threads, batch, multithread, logits: "log_softmax"}
//   await device.close();
//
// Python (precis, in Pyodide) keeps everything else: the chat template, tokenization (our ids are what is fed),
// the loop, sampling, stop strings, map-reduce. wllama's own tokenizer, template and sampler are never used.
//
// Logits: wllama's getLogits(k) returns softmax probabilities p (llama.cpp's raw logits l, exp(l) / sum exp(l)
// over the whole vocabulary, in f32), never the raw logits. step() returns log(p) = l - logsumexp(l): the raw
// logits shifted by one constant per step. Greedy, temperature, top-k, top-p, min-p and presence penalties are
// shift-invariant, so Python's sampler gives exactly what it gives on raw logits; the repetition penalty
// (l / r for l > 0, l * r otherwise) is not: on log-probabilities (all <= 0) it always multiplies, which makes
// a seen token's probability p^r instead. A probability that underflows f32 becomes -Infinity (never drawn).
//
// Threads: llama.cpp's threads are wasm pthreads on SharedArrayBuffer, which needs a cross-origin isolated
// context (manifest.json's cross_origin_embedder_policy / cross_origin_opener_policy); without it wllama runs
// its single-threaded build and describe().threads says 1.

import { Wllama } from "../../vendor/js/wllama/index.js";
import { DeviceError, checkStep } from "./device_contract.js";
import { RANGE_BYTES } from "./model_source.js";

const EXTENSION_ROOT = new URL("../../", import.meta.url);
const WASM_PATHS = {
  "single-thread/wllama.wasm": new URL("vendor/js/wllama/single-thread/wllama.wasm", EXTENSION_ROOT).href,
  "multi-thread/wllama.wasm": new URL("vendor/js/wllama/multi-thread/wllama.wasm", EXTENSION_ROOT).href,
};

// wllama reports most failures as plain Errors: name the kind from what it says.
function deviceError(error, what) {
  if (error instanceof DeviceError) return error;
  const text = String(error?.message || error);
  if (/out of memory|cannot allocate|memory access out of bounds|Aborted\(OOM\)/i.test(text)) {
    return new DeviceError("out_of_memory", `The CPU device ran out of memory ${what}: ${text}`);
  }
  if (/kv_cache_full|out of context/i.test(text)) return new DeviceError("bad_input", `${what}: ${text}`);
  return new DeviceError("internal", `The CPU device failed ${what}: ${text}`);
}

/** llama.cpp's own worker inside wllama: not part of wllama's typed API (its `proxy` field), read in this one
 * place to see the worker die (device lost) and to terminate it when exit() hangs. */
function wllamaWorker(wllama) {
  return /** @type {{proxy?: {worker?: Worker}}} */ (/** @type {unknown} */ (wllama)).proxy?.worker;
}

// wllama's loadModel resolves the wasm paths against document.baseURI, which a worker lacks: give it this
// worker's URL for the duration of the call only (Pyodide tells workers from pages by document.createElement).
async function withBaseUri(call) {
  const shim = typeof document === "undefined";
  if (shim) globalThis.document = /** @type {Document} */ (/** @type {unknown} */ ({ baseURI: self.location.href }));
  try {
    return await call();
  } finally {
    if (shim) delete globalThis.document;
  }
}

// wllama hands each chunk of the model file to llama.cpp's worker by transferring its buffer; once copied into the
// wasm heap it is garbage there, and that worker, which allocates almost nothing itself, collects it late: measured
// with the 1.5B, ~400 MiB of chunks still held at the load's peak. Here a chunk is posted without the transfer:
// as a view of one shared buffer (streamedFile), nothing is left behind on either side; as a copy where memory
// cannot be shared, the copies are allocated by that worker, whose collector then keeps up. wllama makes its
// Worker during loadModel: the subclass stands in for the global for that call only.
export async function withCopiedWrites(call) {
  const Native = globalThis.Worker;
  globalThis.Worker = class extends Native {
    /** @param {any} message @param {any} [transfer] */
    postMessage(message, transfer) {
      return message?.verb === "fs.write" ? super.postMessage(message) : super.postMessage(message, transfer);
    }
  };
  try {
    return await call();
  } finally {
    globalThis.Worker = Native;
  }
}

/** A model file as the Blob-like object wllama reads ({size, stream()}), streamed from the package or OPFS
 * through model_source.js: chunks go straight into the wasm heap, no whole copy in JS. */
/** @param {(fraction: number, bytesDone: number) => void} [onProgress] */
export function streamedFile(source, onProgress = () => {}) {
  let done = 0;
  // Read into one buffer, and handed over in one shared buffer where this worker may share memory: llama.cpp's
  // worker copies each chunk into its heap before wllama reads the next (it waits for each write's answer), and
  // this stream is pulled only when wllama reads (high-water mark 0), so neither buffer is overwritten too soon,
  // and no chunk is left for either worker's garbage collector.
  const chunks = source.chunks(RANGE_BYTES);
  const shared = globalThis.crossOriginIsolated ? new Uint8Array(new SharedArrayBuffer(RANGE_BYTES)) : null;
  return {
    name: source.name,
    size: source.size,
    stream: () => new ReadableStream({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) { controller.close(); return; }
        const [, chunk] = next.value;
        done += chunk.byteLength;
        onProgress(done / source.size, done);
        if (shared && chunk.byteLength <= shared.byteLength) {
          shared.set(chunk);
          controller.enqueue(shared.subarray(0, chunk.byteLength));
          return;
        }
        // Posted as a copy of its whole buffer: a chunk that fills only part of it is cut out.
        const whole = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
        controller.enqueue(whole ? chunk : chunk.slice());
      },
      cancel() { source.cancel(); },
    }, { highWaterMark: 0 }),
  };
}

class WllamaDevice {
  constructor(spec, options) {
    this.spec = spec;
    this.onLog = options.onLog || (() => {});
    this.wllama = null;
    this.cached = 0;             // positions the KV cache holds (0..cached-1)
    this.vocab = 0;
    this.context = 0;
    this.batch = 0;
    this.closed = false;
    this.lost = null;            // the DeviceError every later step throws once llama.cpp's worker has died
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();   // steps run one after another (one KV cache)
    this.loadMs = 0;
  }

  /** @param {(fraction: number, bytesDone: number) => void} [onProgress] */
  async loadWeights(source, onProgress = () => {}) {
    if (this.closed) throw new DeviceError("device_lost", "the CPU device was closed");
    if (this.wllama) throw new DeviceError("internal", "the CPU device already holds a model");
    const started = performance.now();
    // An open model_source.js source (openModelSource), maybe past a header prefix.
    if (typeof source?.chunks !== "function") throw new DeviceError("bad_input", "loadWeights wants an open model source");
    const opened = source;
    const logger = {
      debug: () => {},
      log: (...args) => this.onLog("log", args.join(" ")),
      warn: (...args) => this.onLog("warn", args.join(" ")),
      error: (...args) => this.onLog("error", args.join(" ")),
    };
    const wllama = new Wllama(WASM_PATHS, { logger, suppressNativeLog: true });
    try {
      await withBaseUri(() => withCopiedWrites(() => wllama.loadModel([streamedFile(opened, onProgress)], {
        n_ctx: this.spec.context,
        n_batch: this.spec.batch,
        n_threads: this.spec.threads,
        seed: 0,                   // llama.cpp's sampler is never used; a fixed number all the same
        cache_type_k: this.spec.kv_type,   // q8_0 (precis.device_choice.CPU_KV_TYPE: why)
        cache_type_v: this.spec.kv_type,
        // flash_attn left at llama.cpp's default (auto: on). Measured here, 2 threads, 1,200 positions: on,
        // prefill 46 tok/s and decode 11; off, 35.5 and 16.4. A summary (long prompt, short answer) is faster
        // on; a long chat would be faster off, but it is fixed per context.
      })));
    } catch (error) {
      const worker = wllamaWorker(wllama);
      await Promise.race([wllama.exit().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
      worker?.terminate();
      opened.cancel();
      const text = String(error?.message || error);
      if (/Error while loading model|llama_context/i.test(text)) {
        throw new DeviceError("unsupported_model", `llama.cpp cannot load ${opened.name}: ${text}`);
      }
      throw deviceError(error, `loading ${opened.name}`);
    }
    const info = wllama.getLoadedContextInfo();
    this.wllama = wllama;
    // A crash of llama.cpp's worker (an uncaught error, a wasm trap) ends this device: later steps say so at
    // once instead of waiting for an answer that cannot come; the engine then builds a new device.
    this.lostSignal = new Promise((resolve) => {
      this.markLost = (why) => {
        if (this.lost || this.closed) return;
        this.lost = new DeviceError("device_lost", `The CPU device was lost (${why}). The model must be loaded again.`);
        resolve();
      };
    });
    wllamaWorker(wllama)?.addEventListener("error", (event) => this.markLost(event.message || "its worker failed"));
    this.vocab = info.n_vocab;
    this.context = info.n_ctx;
    this.batch = info.n_batch;
    this.modelName = opened.name;
    this.loadMs = performance.now() - started;
    return { vocab: this.vocab, context: this.context, batch: this.batch };
  }

  step(tokenIds, positions, k) {
    const run = this.queue.then(() => this.#step(tokenIds, positions, k));
    this.queue = run.catch(() => {});
    return run;
  }

  async #step(tokenIds, positions, k) {
    if (this.lost) throw this.lost;
    if (this.closed) throw new DeviceError("device_lost", "the CPU device was closed");
    if (!this.wllama) throw new DeviceError("internal", "the CPU device holds no model");
    const n = tokenIds.length;
    const start = positions[0];
    checkStep(tokenIds, positions, k, { cached: this.cached, context: this.context, vocab: this.vocab,
      chunk: this.spec.batch });
    const w = this.wllama;
    const call = (promise) => Promise.race([promise, this.lostSignal.then(() => { throw this.lost; })]);
    try {
      // A first position below what the cache holds truncates it there (a new prompt sharing a prefix).
      if (start < this.cached) {
        if (start === 0) await call(w.kvClear());
        else await call(w.kvRemove(start, -1));
        this.cached = start;
      }
      // Both asked at once: llama.cpp's worker takes its messages in order, so the top-k is read right after
      // the decode, without a round trip to this worker between them (a decode that fails makes it moot).
      const decoded = call(w.decode(Array.from(tokenIds), {}));
      const read = call(w.getLogits(Math.min(k, this.vocab)));
      read.catch(() => {});
      await decoded;
      this.cached = start + n;
      const top = await read;
      const ids = new Int32Array(top.length);
      const logits = new Float32Array(top.length);
      for (let i = 0; i < top.length; i++) {
        ids[i] = top[i].token;
        logits[i] = Math.log(top[i].p);      // log-softmax: see the file's opening comment
        if (Number.isNaN(logits[i])) {
          throw new DeviceError("internal", "llama.cpp's probabilities overflowed (a logit above 88)");
        }
      }
      return { ids, logits };
    } catch (error) {
      // The cache may hold part of what was fed: say nothing is reusable.
      this.cached = Math.min(this.cached, start);
      if (/abort signal from llama\.cpp|RuntimeError|unreachable/i.test(String(error?.message || error))) {
        this.markLost(String(error?.message || error));   // llama.cpp aborted: its state is gone
      }
      if (this.lost) throw this.lost;
      throw deviceError(error, "running a step");
    }
  }

  describe() {
    const threads = this.wllama ? this.wllama.getNumThreads() : this.spec.threads;
    const multithread = this.wllama ? this.wllama.isMultithread() : false;
    return {
      kind: "cpu",
      name: `CPU (llama.cpp WebAssembly, ${threads} thread${threads === 1 ? "" : "s"})`,
      threads,
      multithread,
      crossOriginIsolated: Boolean(self.crossOriginIsolated),
      batch: this.batch || this.spec.batch,
      context: this.context || this.spec.context,
      logits: "log_softmax",
      library: `wllama (llama.cpp ${Wllama.getLibllamaVersion?.() || "unknown"})`,
    };
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    const w = this.wllama;
    this.wllama = null;
    if (!w) return;
    // exit() frees llama.cpp's state and terminates wllama's worker (and with it the wasm memory); a worker
    // that no longer answers (an aborted wasm) is terminated all the same.
    const worker = wllamaWorker(w);
    await Promise.race([w.exit().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
    worker?.terminate();
  }
}

/**
 * spec: {context (KV positions), threads, batch (tokens per llama_decode)}; options: {onLog(level, text)}.
 * @type {import("./device_contract.js").CreateDevice}
 */
export async function createDevice(spec, options = {}) {
  const context = Number(spec?.context), threads = Number(spec?.threads), batch = Number(spec?.batch);
  for (const [name, value] of /** @type {Array<[string, number]>} */ ([["context", context], ["threads", threads], ["batch", batch]])) {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new DeviceError("bad_input", `the CPU device's ${name} must be a positive integer, got ${spec?.[name]}`);
    }
  }
  return new WllamaDevice({ context, threads, batch }, options);
}
