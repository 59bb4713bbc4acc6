// Plugs the CPU device (wllama_device.js, DEVICE_CONTRACT.md) into the engine worker's Python Session, as
// webgpu_executor.js's attachExecutor does for the WebGPU executor: precis.browser_backend.BrowserBackend keeps
// the record of what the KV cache holds and calls feed(ids, pos) once per step; feed is the device's step().
//
//   const info = await attachCpuDevice({pyodide, session, source, threads, context, progress});  // use_executor
//   const result = await generateIds(pyodide, promptIds, maxTokens, {stopIds, fresh});  // tests, benchmarks
//   await detachCpuDevice();
//   await loseDeviceForTest();   // tests: llama.cpp's worker "crashes"; the next step runs on a new device

import { createDevice } from "./wllama_device.js";

const TOP_K = 64;            // candidates per step, as the WebGPU plan's top-k
const BATCH = 512;           // tokens per llama_decode call: llama.cpp's own micro-batch

let attached = null;         // {device, backend, session, info}

/** "package" | "opfs:<name>" (the worker's sources) as the device contract's {kind, ...}. */
function contractSource(source, defaultModelPath) {
  if (typeof source === "string" && source.startsWith("opfs:")) return { kind: "opfs", name: source.slice(5) };
  return { kind: "package", path: defaultModelPath };
}

/**
 * Loads the session's model on a new CPU device and makes it the session's step. `threads`: from Python's
 * precis.device_choice. Returns what the panel shows: {device: describe(), context, timings}.
 */
/** A new device with the model's weights loaded; {device, loaded: {vocab, context, batch}}. */
async function loadDevice(spec, source, vocab, progress) {
  const device = await createDevice(spec,
    { onLog: (level, text) => (level === "error" ? console.error : console.warn)("[wllama]", text) });
  try {
    const loaded = await device.loadWeights(source, (done, total) => {
      progress(done / total, `Loading the model for the CPU: ${(done / 1048576).toFixed(0)} MiB`);
    });
    if (loaded.vocab !== vocab) {
      throw new Error(`llama.cpp reads ${loaded.vocab} tokens in the vocabulary, our tokenizer ${vocab}`);
    }
    return { device, loaded };
  } catch (error) {
    await device.close();
    throw error;
  }
}

/** What BrowserBackend drives: feed(ids, pos) is one step; `lost` asks it to rebuild the device. */
function feederFor(device) {
  return {
    feed: (ids, pos) => {
      const tokens = Int32Array.from(ids);
      return device.step(tokens, Int32Array.from(tokens, (_, i) => pos + i), TOP_K);
    },
    get lost() { return device.lost; },
  };
}

export async function attachCpuDevice({ pyodide, session, source, defaultModelPath, threads, context = null,
  progress = () => {} }) {
  const started = performance.now();
  await detachCpuDevice();
  context = Math.min(Number(session.context),
    Number(context) || Number(pyodide.runPython("from precis.browser_backend import DEFAULT_CONTEXT; DEFAULT_CONTEXT")));
  const spec = { context, threads, batch: BATCH };
  const modelSource = contractSource(source, defaultModelPath);
  const vocab = Number(session.tokenizer.vocab_size);
  const { device, loaded } = await loadDevice(spec, modelSource, vocab, progress);
  // After a crash of llama.cpp's worker: a new device; BrowserBackend then feeds it what the old cache held.
  const rebuild = async () => {
    const old = attached?.device;
    const fresh = await loadDevice(spec, modelSource, vocab, () => {});
    if (attached) attached.device = fresh.device;
    await old?.close();
    return feederFor(fresh.device);
  };
  const BrowserBackend = pyodide.runPython("from precis.browser_backend import BrowserBackend; BrowserBackend");
  const backend = BrowserBackend.callKwargs(feederFor(device),
    { vocab: loaded.vocab, context: loaded.context, chunk: loaded.batch }, { rebuild });
  BrowserBackend.destroy();
  const step = backend.step;
  session.use_executor(step, loaded.context);
  step.destroy();
  const info = {
    device: device.describe(),
    context: loaded.context,
    chunk: loaded.batch,
    timings: { load_ms: Math.round(device.loadMs), total_ms: Math.round(performance.now() - started) },
  };
  attached = { device, backend, session, info };
  return info;
}

export async function detachCpuDevice() {
  if (!attached) return;
  const { device, backend } = attached;
  attached = null;
  backend.destroy();
  await device.close();
}

/** Test hook: llama.cpp's worker fails behind the device's back, as a crash would (its error event); returns
 * the error a step then gives. The backend's next step builds a new device. */
export async function loseDeviceForTest() {
  if (!attached) throw new Error("no model is loaded on the CPU device");
  const { device } = attached;
  const worker = device.wllama.proxy.worker;
  worker.terminate();
  worker.dispatchEvent(new ErrorEvent("error", { message: "simulated crash of llama.cpp's worker" }));
  try {
    await device.step(Int32Array.of(0), Int32Array.of(0), 1);
  } catch (e) {
    return { name: e.constructor.name, kind: e.kind, message: e.message };
  }
  throw new Error("a step on the lost device did not fail");
}

/** Greedy ids from the attached model through precis.browser_backend's loop (as webgpu_executor.js's
 * generateIds): {ids, first_ids, first_logits, prompt_tokens, ttft_s, decode_s, decode_tokens_per_s}. */
export async function generateIds(pyodide, promptIds, maxTokens, { stopIds = [], fresh = true } = {}) {
  if (!attached) throw new Error("no model is loaded on the CPU device");
  const { backend, session } = attached;
  const greedy = backend.greedy;
  try {
    let result;
    try {
      result = await greedy.callPromisingKwargs(pyodide.toPy(promptIds), maxTokens, pyodide.toPy(stopIds), { fresh });
    } catch (e) {
      if (e?.type) throw new Error(e.message.trim().split("\n").pop());
      throw e;
    }
    const value = result.toJs({ dict_converter: Object.fromEntries });
    result.destroy();
    return value;
  } finally {
    greedy.destroy();
    // The session's record of the cache is stale now: its next request starts from an empty one.
    const step = backend.step;
    session.use_executor(step, backend.context);
    step.destroy();
  }
}
