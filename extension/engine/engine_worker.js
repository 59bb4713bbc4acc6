// @ts-check
// The engine worker: a module Worker that owns Pyodide, the Python engine (precis.engine.Engine) and the
// device it drives (./device_contract.js, py/precis/device.py): ./webgpu_executor.js on a GPU, ./wllama_device.js
// (llama.cpp in wasm) on the CPU, as Python chooses (precis.device_choice). Loaded once by the side panel and kept warm.
// Everything it runs comes from the extension package; it never touches the network.
//
// Messages in:  {id, type: "boot"}
//               {id, type: "load_model", source, context?, memory_budget?, device?, threads?}
//                 source: "package" | "opfs:<name>"; device: "auto" (default) | "gpu" | "cpu", also on
//                 summarize / chat (the panel's setting): another device loads the model again
//               {id, type: "add_model", file, context?, device?}      a picked File: kept in OPFS only once it has loaded;
//                                                            the same file stored already is loaded from there (info.reused)
//               {id, type: "summarize", requestId, source, page, style, length, temperature, judge?}
//                 judge: the loaded model also judges the points the lexical check passes (precis.support_judge)
//               {id, type: "chat", requestId, source, messages, page?, conversation?, temperature, max_tokens?}
//                 conversation: an id; its first turn carries the page, later turns only the id
//               {id, type: "ground", summary, text}          grounding only (no model needed)
//               {id, type: "cancel", requestId}              answered at once; that generation ends "cancelled"
//               {id, type: "cancel_load"}                    stops the loads (and add_model) asked for before it:
//                                                            each ends "cancelled" at its next step, the model in use kept
// The requests only tests and benchmarks use (generate_ids, gpu_memory, time_encode, the tests' hooks) are not
// here: extension/dev/engine_worker_dev.js adds them with extendRequests(), and is never shipped.
// Messages out: {type: "progress", stage, fraction, message}          (boot, model loading)
//               {type: "progress", requestId, stage, done, total}     (map-reduce of a long page)
//               {type: "token", requestId, text}                      (streamed answer text)
//               {id, type: "result", value} | {id, type: "error", message, kind}
//               {type: "state", state, model, requestId}               every transition of ./engine_state.js
// Error kinds: precis.engine.ERROR_KINDS ("unsupported_model", "out_of_memory", "device_lost", "cancelled",
// "bad_input", "no_model", "internal"), always structured, never parsed from a traceback.
//
// The engine's state has one owner, ./engine_state.js (EngineState): off, booting, idle, loading, generating,
// failed, and the loaded model, each transition posted as a "state" event. There one thing touches the engine at
// a time (loads and generations run one after another) and the newest generation wins: a new one cancels the
// running one and supersedes any still waiting. A cancel is answered at once and the request's result is sent
// then (what streamed so far, finish_reason "cancelled"); Python sees the cancel at its next step or poll (precis.engine: at most POLL_S of Python between two). A worker
// held by a long synchronous stretch takes no message at all: the panel then replaces it (EngineClient.restart).
//
// A load is a transaction: Python checks the header (a prefix of the file) and plans; only then is a device
// created and the weights streamed into it; only once that worked does Python commit to the new model and is
// the old device closed. Any failure closes the new device and leaves the working model as it was, and so does
// cancel_load: a load checks its signal between its steps (each read of the header, making the device, the
// weights' progress, before the commit), and an added file being stored is removed.

import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";
import { INCOMING_DIR, clearIncoming, findStoredCopy, incomingLock, keepIncoming, modelFileName, openModelSource,
         removeStoredModel, saveToOpfs } from "./model_source.js";
import { EngineState } from "./engine_state.js";
import { adapterReport, createDevice as createGpuDevice } from "./webgpu_executor.js";
import { createDevice as createCpuDevice } from "./wllama_device.js";

// Dedicated workers have no chrome.runtime: build URLs from this module's own URL.
const EXTENSION_ROOT = new URL("../../", import.meta.url);
const KERNELS_URL = new URL("kernels/", EXTENSION_ROOT);
const url = (path) => new URL(path, EXTENSION_ROOT).href;

class EngineError extends Error {
  constructor(message, kind = "internal") {
    super(message);
    this.kind = kind;
  }
}

let pyodide = null;
let engine = null;        // PyProxy of precis.engine.Engine
let status = null;        // boot()'s answer: versions, the adapter, the constants shared with Python
const machine = new EngineState((message) => postMessage(message));

function progress(stage, fraction, message) {
  postMessage({ type: "progress", stage, fraction, message });
}

async function fetchJson(path) {
  const response = await fetch(url(path));
  if (!response.ok) throw new EngineError(`${path} is missing from the extension (run \`precis setup\`)`);
  return response.json();
}

function toJs(proxy) {
  if (!proxy?.toJs) return proxy;
  const value = proxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  proxy.destroy();
  return value;
}

// engine.handle(method, args): Python answers {value} or {error: {kind, message}}; it may suspend on JS
// promises (JSPI), so it is entered with callPromising. `raw`: arguments handed over as JS objects.
async function call(method, args = {}, raw = {}) {
  const pyArgs = pyodide.toPy(args);
  const dict = pyodide.globals.get("dict");
  const all = dict(pyArgs);
  for (const [k, v] of Object.entries(raw)) all.set(k, v);
  pyArgs.destroy?.();
  dict.destroy();
  const handle = engine.handle;
  let answer;
  try {
    answer = toJs(await handle.callPromising(method, all));
  } finally {
    all.destroy();
    handle.destroy();
  }
  if (answer.error) throw new EngineError(answer.error.message, answer.error.kind);
  return answer.value;
}

async function boot() {
  const started = performance.now();
  // What an add interrupted by a closed panel or a crash left aside (files another window is adding are kept).
  await clearIncoming().then(
    (removed) => removed.length && console.warn("[precis] removed unfinished model files:", removed),
    (error) => console.warn("[precis] could not clear unfinished model files:", error));
  progress("assets", 0.02, "Reading the package manifest");
  const assets = await fetchJson("vendor/precis-assets.json");

  progress("pyodide", 0.05, "Starting Python (Pyodide)");
  pyodide = await loadPyodide({
    indexURL: url(assets.pyodide),
    lockFileURL: url(`${assets.pyodide}pyodide-lock.json`),
    stdout: (line) => console.log("[py]", line),
    stderr: (line) => console.warn("[py]", line),
  });
  const pyodideMs = performance.now() - started;

  progress("packages", 0.55, "Installing Python packages");
  await pyodide.loadPackage(assets.pyodide_packages, { messageCallback: () => {} });

  // micropip refuses chrome-extension:// URLs: hand it the wheel through Pyodide's file system.
  progress("precis", 0.75, "Installing Précis");
  const wheelName = assets.precis_wheel.split("/").pop();
  const wheelResponse = await fetch(url(assets.precis_wheel));
  if (!wheelResponse.ok) throw new EngineError(`${assets.precis_wheel} is missing (run \`precis setup\`)`);
  pyodide.FS.mkdirTree("/tmp/wheels");
  pyodide.FS.writeFile(`/tmp/wheels/${wheelName}`, new Uint8Array(await wheelResponse.arrayBuffer()));
  await pyodide.runPythonAsync(`
import micropip
await micropip.install("emfs:/tmp/wheels/${wheelName}")
`);
  engine = pyodide.runPython("from precis.engine import Engine; Engine()");

  progress("gpu", 0.9, "Looking for a WebGPU adapter");
  const adapter = await call("set_adapter", { hardware_concurrency: navigator.hardwareConcurrency || 1,
    cross_origin_isolated: Boolean(self.crossOriginIsolated), device_memory_gib: navigator.deviceMemory || null },
  { raw: pyodide.toPy(await adapterReport()) });
  status = {
    contract: await call("contract"),   // the constants shared with Python (precis.engine.Engine.contract)
    precisVersion: pyodide.runPython("import precis; precis.__version__"),
    packageVersion: assets.version,
    pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
    pyodideVersion: pyodide.version,
    adapter,
    device: adapter.device,   // what "auto" runs on ({kind, reason, threads}): the panel shows it before a load
    bootMs: Math.round(performance.now() - started),
    pyodideMs: Math.round(pyodideMs),
  };
  progress("ready", 1, "Ready");
  return status;
}

function ensureBooted() {
  return machine.ensureBooted(boot);
}

const serialized = (task) => machine.serialized(task);

// ---- the model: a load is a transaction --------------------------------------------------------------
// machine.model: {identity, slot}; slot: {device, spec, source} (the link reads the current device).
// Each load takes the signal current when it was asked for (machine.loadSignal); cancel_load aborts it.

function cancelLoads() {
  return machine.cancelLoads(new EngineError("Loading the model was stopped: the model in use is unchanged.", "cancelled"));
}

function deviceProgress(fraction, message) {
  progress("model", fraction, message);
}

// The device Python's spec names: our WGSL on the GPU, or llama.cpp's wasm build on the CPU.
function createDevice(spec, options) {
  if (spec.kind !== "cpu") return createGpuDevice(spec, options);
  return createCpuDevice(spec, { onLog: (level, text) => (level === "error" ? console.error : console.warn)("[wllama]", text) });
}

// ---- the other windows' engines -----------------------------------------------------------------------
// Each window's side panel runs its own engine worker with its own copy of the model. One engine for all
// windows would need an offscreen document owning Pyodide and the device, every panel's requests and streams
// relayed through the service worker, and one window's long summary would block the others. A window costs
// ~350 MiB of browser PSS with the built-in 94 MiB model on the CPU device (precis_build.bench_panels_memory,
// 1 -> 2 -> 3 panels: 634 -> 917 -> 1,335 MiB, under load): Pyodide and llama.cpp's heap, and the model's copy,
// which dominates with a GB-sized model. So each engine says what its model holds, and a new load's memory
// budget leaves that out: the engine holds a Web Lock named
// HOLDING<id>:<bytes> while its model is loaded (locks span the origin's workers, and a closed panel's worker
// releases its locks as it dies, so nothing stale is counted).
const HOLDING = "precis-engine-memory:";
const ENGINE_ID = crypto.randomUUID();
let releaseHolding = () => {};

/** Bytes the other windows' engines hold for their models. */
async function othersHold() {
  const { held = [] } = await navigator.locks.query();
  return held.map((lock) => lock.name)
    .filter((name) => name.startsWith(HOLDING) && !name.startsWith(`${HOLDING}${ENGINE_ID}:`))
    .reduce((sum, name) => sum + (Number(name.split(":").pop()) || 0), 0);
}

/** This engine's model now holds `bytes` (its GPU buffers; on the CPU device, llama.cpp's copy of the file). */
function announceHolding(bytes) {
  releaseHolding();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  releaseHolding = release;
  if (bytes > 0) navigator.locks.request(`${HOLDING}${ENGINE_ID}:${bytes}`, () => held);
}

/** The memory budget of a load: the one asked, else the adapter's (a CPU adapter: half the machine's memory)
 * less what the other windows' engines hold. A GPU reports no memory size: no budget then. */
async function loadBudget(asked) {
  const others = await othersHold();
  const adapterBudget = status?.adapter?.memory_budget;
  if (asked) return { budget: asked, others };
  return { budget: adapterBudget ? Math.max(1, adapterBudget - others) : null, others };
}

/** Loads `source` unless it is the working model; the working model stays until the new one is ready. */
async function loadNow(source, { context = null, memoryBudget = null, device: setting = null, threads = null,
                                 signal = null } = {}) {
  await ensureBooted();
  signal?.throwIfAborted();
  const loaded = machine.model?.identity;
  setting ||= loaded?.setting || "auto";   // a request naming no device keeps the current one
  if (loaded?.source === source && loaded.setting === setting && !context && !memoryBudget && !threads) {
    return machine.model.info;
  }
  return machine.loading(() => loadTransaction(source, setting, { context, memoryBudget, threads, signal }));
}

async function loadTransaction(source, setting, { context, memoryBudget, threads, signal }) {
  const started = performance.now();
  progress("model", 0, "Reading the model's header");
  const { budget, others } = await loadBudget(memoryBudget);
  const src = await openModelSource(source, EXTENSION_ROOT).catch((e) => {
    throw new EngineError(e.message, "unsupported_model");
  });
  let device = null;
  try {
    let want = status.contract.first_prefix;   // bytes read for the header first (Python asks for more if it needs it)
    let prepared;
    for (;;) {
      const prefix = await src.readPrefix(want);
      signal?.throwIfAborted();
      const args = { file_size: src.size, name: src.name, source };
      if (context) args.context = context;
      if (budget) args.memory_budget = budget;
      args.others_bytes = others;   // the CPU device's budget with no CPU adapter: the machine's, less these
      args.device = setting;
      if (threads) args.threads = threads;
      prepared = await call("prepare", args, { prefix });
      signal?.throwIfAborted();
      if (!prepared.need_bytes) break;
      if (prepared.need_bytes <= prefix.length) throw new EngineError("the model's header could not be read", "internal");
      want = prepared.need_bytes;
    }
    const spec = prepared.spec;
    progress("model", 0.1, spec.kind === "cpu" ? "Preparing the CPU device" : "Preparing the GPU");
    device = await createDevice(spec, { kernelsUrl: KERNELS_URL, onProgress: (f, m) => deviceProgress(0.1 + 0.1 * f, m) });
    signal?.throwIfAborted();
    const copying = spec.kind === "cpu" ? "Reading the weights into llama.cpp (CPU)" : "Copying the weights to the GPU";
    progress("model", 0.2, copying);
    await device.loadWeights(src, (fraction, done) => {
      if (signal?.aborted) src.cancel();   // the reads stop; loadWeights then fails, and the catch says why
      deviceProgress(0.2 + 0.8 * fraction, `${copying}: ${(done / 1048576).toFixed(0)} MiB`);
    });
    signal?.throwIfAborted();
    const slot = { device, spec, source };
    const info = await call("commit", {}, { device: new DeviceLink(slot) });
    const previous = machine.model;
    info.memory_budget = budget;
    info.others_bytes = others;
    info.device = { available: true, ...device.describe(), ...(spec.reason ? { reason: spec.reason } : {}),
                    ...(spec.fallback ? { fallback: true } : {}) };
    info.executor = info.device;   // the panel's name for it
    info.loadMs = Math.round(performance.now() - started);
    const identity = { source, setting, name: info.name, title: info.title, architecture: info.architecture,
                       context: info.context, device: info.device };
    machine.model = { identity, slot, info };
    previous?.slot.device.close();
    announceHolding(info.gpu_bytes || info.file_bytes);
    progress("model", 1, "Model ready");
    return info;
  } catch (error) {
    src.cancel();
    device?.close();
    await call("abort").catch(() => {});
    if (signal?.aborted) throw signal.reason;
    if (error?.kind === "out_of_memory" && others) {
      const held = (others / 1048576).toFixed(0);
      error.message = `${error.message} (the models of Précis in your other windows hold ${held} MiB)`;
    }
    throw error instanceof EngineError ? error : new EngineError(error?.message || String(error), error?.kind || "internal");
  }
}

/** A picked File: when the same file is stored already, that copy is loaded (never a second one stored); else it
 * is written to OPFS's incoming folder, loaded, and only then kept among the stored models. */
async function addModel(file, options) {
  await ensureBooted();
  return machine.loading(() => storeAndLoad(file, options));
}

async function storeAndLoad(file, options) {
  const { signal } = options;
  signal?.throwIfAborted();
  const stored = await findStoredCopy(file);
  signal?.throwIfAborted();
  if (stored) return { ...await loadNow(stored, options), source: stored, reused: true };
  const name = modelFileName(file);
  // Held while the file is in the incoming folder: another window's boot leaves it there (clearIncoming).
  return navigator.locks.request(incomingLock(name), async () => {
    await saveToOpfs(file, name, (f) => progress("store", f, `Storing ${name}`), INCOMING_DIR, signal)
      .catch((e) => { throw signal?.aborted ? signal.reason : new EngineError(e.message, "bad_input"); });
    let info;
    try {
      info = await loadNow(`incoming:${name}`, options);
    } catch (error) {
      await removeStoredModel(`incoming:${name}`);
      throw error;
    }
    const source = await keepIncoming(name);
    machine.model.identity.source = source;   // posted with the load's end (loading -> idle)
    machine.model.slot.source = source;
    info.source = source;
    return info;
  });
}

// What Python calls (precis.device.Device): one crossing per step, carrying the text streamed since the last one
// and answering whether the current request was cancelled. A class instance, so Pyodide hands it to Python as a
// JS object.
class DeviceLink {
  constructor(slot) {
    this.slot = slot;
  }

  async step(ids, positions, k, text) {
    machine.stream(text);
    try {
      const slot = this.slot;
      if (slot.device.lost) {
        await rebuild(slot);
        return { rebuilt: true, cancelled: machine.cancelled };
      }
      const { ids: top, logits } = await slot.device.step(ids, positions, k);
      return { ids: top, logits, cancelled: machine.cancelled };
    } catch (e) {
      return { error: { kind: e?.kind || "internal", message: e?.message || String(e) } };
    }
  }

  async poll(text) {
    machine.stream(text);
    await new Promise((resolve) => setTimeout(resolve, 0));   // lets this worker take its messages
    return { cancelled: machine.cancelled };
  }

  close() {
    return this.slot.device.close();
  }
}

/** A lost device: a new one from the same spec, its weights streamed again from the model's file. */
async function rebuild(slot) {
  slot.device.close();
  const device = await createDevice(slot.spec, { kernelsUrl: KERNELS_URL });
  await device.loadWeights(await openModelSource(slot.source, EXTENSION_ROOT));
  slot.device = device;
}

// ---- requests ------------------------------------------------------------------------------------------

/** A generation request: newest-wins and cancel are machine.generate's; its model is loaded first. */
function generation(message, reply, run) {
  machine.generate(message.requestId, reply, {
    load: () => loadNow(message.source || machine.model?.identity.source || "package", { device: message.device }),
    run,
  });
}

const handlers = {
  boot: () => ensureBooted(),
  load_model: (m, { signal }) => serialized(() => loadNow(m.source || "package",
    { context: m.context, memoryBudget: m.memory_budget, device: m.device, threads: m.threads, signal })),
  add_model: (m, { signal }) => serialized(() => addModel(m.file, { context: m.context, memoryBudget: m.memory_budget,
    device: m.device, signal })),
  cancel_load: () => cancelLoads(),
  ground: async (m) => {
    await ensureBooted();
    return call("ground", { summary: m.summary, text: m.text });
  },
  cancel: (m) => machine.cancel(m.requestId),
};

// Generations answer through generation(): at once when cancelled, else with the engine's result.
const generations = {
  summarize: (m) => call("summarize", { page: m.page, style: m.style, length: m.length,
    temperature: Number(m.temperature) || 0, judge: m.judge === true },
  { on_progress: (stage, done, total) => postMessage({ type: "progress", requestId: m.requestId, stage, done, total }) }),
  // A conversation's first turn carries its page; later turns only its id (Python keeps the page).
  chat: (m) => call("chat", { messages: m.messages, page: m.page || null, temperature: Number(m.temperature) || 0,
    ...(m.conversation ? { conversation: String(m.conversation) } : {}),
    ...(m.max_tokens ? { max_tokens: Number(m.max_tokens) } : {}) }),
};

/** More requests, from a module that imports this worker (extension/dev/engine_worker_dev.js: the tests' and
 * benchmarks' requests). A handler gets (message, context); a generation gets (message, context) and runs
 * under the state machine's newest-wins and cancel (./engine_state.js). Names already taken are refused. */
export function extendRequests({ handlers: more = {}, generations: moreGenerations = {} }) {
  for (const name of [...Object.keys(more), ...Object.keys(moreGenerations)]) {
    if (Object.hasOwn(handlers, name) || Object.hasOwn(generations, name)) throw new Error(`engine request ${name} exists already`);
  }
  Object.assign(handlers, more);
  Object.assign(generations, moreGenerations);
}

/** What an added request may use of the engine. */
function requestContext() {
  return { model: () => machine.model, pyodide: () => pyodide, signal: machine.loadSignal, call, serialized, loadNow };
}

function post(id, outcome) {
  if (outcome.error) {
    const error = outcome.error;
    postMessage({ id, type: "error", message: error?.message || String(error), kind: error?.kind || "internal" });
  } else {
    postMessage({ id, type: "result", value: outcome.value });
  }
}

self.onmessage = async (event) => {
  const message = event.data || {};
  const { id, type } = message;
  if (Object.hasOwn(generations, type)) {
    generation(message, (outcome) => post(id, outcome), () => generations[type](message, requestContext()));
    return;
  }
  try {
    const handler = Object.hasOwn(handlers, type) ? handlers[type] : null;
    if (!handler) throw new EngineError(`unknown engine request: ${type}`);
    post(id, { value: await handler(message, requestContext()) });
  } catch (error) {
    post(id, { error });
  }
};
