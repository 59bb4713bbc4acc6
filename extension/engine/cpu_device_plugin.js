// Plugs the CPU device (wllama_device.js, DEVICE_CONTRACT.md) into the engine worker's Python Session, as
// webgpu_executor.js's attachExecutor does for the WebGPU executor: precis.browser_backend.BrowserBackend keeps
// the record of what the KV cache holds and calls feed(ids, pos) once per step; feed is the device's step().
//
//   const info = await attachCpuDevice({pyodide, session, source, threads, progress});  // session.use_executor
//   const result = await generateIds(pyodide, promptIds, maxTokens, {stopIds, fresh});  // tests, benchmarks
//   await detachCpuDevice();

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
export async function attachCpuDevice({ pyodide, session, source, defaultModelPath, threads, progress = () => {} }) {
  const started = performance.now();
  await detachCpuDevice();
  const context = Math.min(Number(session.context),
    Number(pyodide.runPython("from precis.browser_backend import DEFAULT_CONTEXT; DEFAULT_CONTEXT")));
  const BrowserBackend = pyodide.runPython("from precis.browser_backend import BrowserBackend; BrowserBackend");
  const device = await createDevice({ context, threads, batch: BATCH },
    { onLog: (level, text) => (level === "error" ? console.error : console.warn)("[wllama]", text) });
  let loaded;
  try {
    loaded = await device.loadWeights(contractSource(source, defaultModelPath), (done, total) => {
      progress(done / total, `Loading the model for the CPU: ${(done / 1048576).toFixed(0)} MiB`);
    });
    if (loaded.vocab !== Number(session.tokenizer.vocab_size)) {
      throw new Error(`llama.cpp reads ${loaded.vocab} tokens in the vocabulary, our tokenizer ` +
        `${session.tokenizer.vocab_size}`);
    }
  } catch (error) {
    BrowserBackend.destroy();
    await device.close();
    throw error;
  }
  const feeder = {
    feed: (ids, pos) => {
      const tokens = Int32Array.from(ids);
      return device.step(tokens, Int32Array.from(tokens, (_, i) => pos + i), TOP_K);
    },
  };
  const backend = BrowserBackend.callKwargs(feeder, { vocab: loaded.vocab, context: loaded.context, chunk: loaded.batch }, {});
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
