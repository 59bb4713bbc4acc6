// The engine: a module Worker that owns Pyodide (and, later, the GPUDevice). Loaded once by
// the side panel and kept warm. Everything it runs comes from the extension package:
// Pyodide core, our wheels, the model. It never touches the network.
//
// Messages in:  {id, type: "boot"}
//               {id, type: "load_model", source, device?}    source: "package" | "opfs:<name>"
//               {id, type: "summarize", requestId, source, device?, page, style, length, temperature}
//               {id, type: "chat", requestId, source, device?, messages, page, temperature, max_tokens?}
//                 device: "auto" (default) | "gpu" | "cpu": which device runs the model (chooseDevice); a
//                 load_model may also set context (KV positions, default: the model's, at most 4096) and
//                 threads (the CPU device's; default: Python's choice). Each stays as it is for requests that
//                 do not name it.
//               {id, type: "ground", summary, text}          grounding only (no model needed)
//               {id, type: "cancel", requestId}              stops that generation at its next token
// Messages out: {type: "progress", stage, fraction, message}          (boot, model loading)
//               {type: "progress", requestId, stage, done, total}     (map-reduce of a long page)
//               {type: "token", requestId, text}                      (streamed answer text)
//               {id, type: "result", value} | {id, type: "error", message, kind}
//
// Python (precis.session.Session) does prompts, tokenization, sampling, chunking and grounding.
// The step runs on one of two devices, chosen by Python (precis.device_choice) at each model load: the CPU
// device (./cpu_device_plugin.js over ./wllama_device.js, llama.cpp in wasm) where there is no real GPU or the
// request asks for it; else the GPU step from ./webgpu_executor.js: when that module exists it must export
//   attachExecutor({pyodide, session, modelBytes, modelInfo, adapter, progress}) -> Promise
// which builds the plan and calls session.use_executor(next_candidates, context). Without it
// the model still loads (and is checked), and generation says the executor is missing.

import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";
import { readModel } from "./model_source.js";

// Dedicated workers have no chrome.runtime: build URLs from this module's own URL.
const EXTENSION_ROOT = new URL("../../", import.meta.url);
const url = (path) => new URL(path, EXTENSION_ROOT).href;

let pyodide = null;
let booting = null; // the one boot in flight or done: concurrent requests share it

function progress(stage, fraction, message) {
  postMessage({ type: "progress", stage, fraction, message });
}

async function fetchJson(path) {
  const response = await fetch(url(path));
  if (!response.ok) throw new Error(`${path} is missing from the extension (run \`precis setup\`)`);
  return response.json();
}

async function describeAdapter() {
  if (!("gpu" in navigator)) {
    return { available: false, reason: "This browser exposes no WebGPU (navigator.gpu is missing)." };
  }
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) {
    return { available: false, reason: "WebGPU is present but no GPU adapter was found." };
  }
  const info = adapter.info || {};
  const limits = {};
  for (const name of ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize",
    "maxComputeInvocationsPerWorkgroup", "maxComputeWorkgroupSizeX", "maxStorageBuffersPerShaderStage",
    "maxComputeWorkgroupsPerDimension"]) {
    limits[name] = adapter.limits[name];
  }
  return {
    available: true,
    name: info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(" ") || "unknown adapter",
    vendor: info.vendor || "",
    architecture: info.architecture || "",
    device: info.device || "",
    description: info.description || "",
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    features: [...adapter.features].sort(),
    limits,
  };
}

async function boot() {
  const started = performance.now();
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
  if (!wheelResponse.ok) throw new Error(`${assets.precis_wheel} is missing (run \`precis setup\`)`);
  pyodide.FS.mkdirTree("/tmp/wheels");
  pyodide.FS.writeFile(`/tmp/wheels/${wheelName}`, new Uint8Array(await wheelResponse.arrayBuffer()));
  await pyodide.runPythonAsync(`
import micropip
await micropip.install("emfs:/tmp/wheels/${wheelName}")
`);
  const precisVersion = pyodide.runPython("import precis; precis.__version__");

  progress("gpu", 0.9, "Looking for a WebGPU adapter");
  const adapter = await describeAdapter();
  adapterInfo = adapter;
  // What "auto" will run the model on ({kind: "webgpu" | "cpu", reason, threads}): without a GPU the CPU works.
  const device = await chooseDevice("auto");

  const status = {
    precisVersion,
    packageVersion: assets.version,
    pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
    pyodideVersion: pyodide.version,
    adapter,
    device,
    bootMs: Math.round(performance.now() - started),
    pyodideMs: Math.round(pyodideMs),
  };
  progress("ready", 1, "Ready");
  return status;
}

function ensureBooted() {
  booting ??= boot().catch((error) => {
    booting = null; // let a later request try again
    throw error;
  });
  return booting;
}

// ---- the model -----------------------------------------------------------------------------

// An error whose message the panel shows as is; kind lets it pick the right place/wording.
class EngineError extends Error {
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

// Python exceptions arrive as PythonError with the whole traceback: keep "Type: message".
function pythonError(error) {
  if (error?.type === undefined || !error.message) return error;
  const lines = error.message.trim().split("\n");
  const last = lines[lines.length - 1].replace(/^[\w.]+: /, "");
  const kinds = { GGUFError: "model", TokenizerError: "model", TemplateError: "model",
    EngineUnavailable: "executor", SummaryError: "request", DeviceChoiceError: "executor" };
  return new EngineError(last, kinds[error.type] || "python");
}

let session = null;       // the Python Session (PyProxy)
let model = null;         // {source, info}
let loadingModel = null;  // the load in flight: {source, promise}
let adapterInfo = null;

function pySession() {
  session ??= pyodide.runPython("from precis.session import Session; Session()");
  return session;
}

function toJs(proxy) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  proxy.destroy();
  return value;
}

async function loadModel(source, { device, context, threads } = {}) {
  await ensureBooted();
  // A request that names no device (context, threads) keeps the current one; a new one loads the model again.
  const options = { deviceSetting: device || model?.options.deviceSetting || "auto",
    context: Number(context) || model?.options.context || null,
    threads: Number(threads) || model?.options.threads || null };
  const key = `${source}|${options.deviceSetting}|${options.context}|${options.threads}`;
  if (model?.key === key) return model.info;
  if (loadingModel?.key === key) return loadingModel.promise;
  const promise = (async () => {
    const assets = await fetchJson("vendor/precis-assets.json");
    const started = performance.now();
    progress("model", 0, "Reading the model");
    const { bytes, name } = await readModel(source, url(assets.default_model), (fraction, done) => {
      progress("model", fraction * 0.7, `Reading the model: ${(done / 1048576).toFixed(0)} MiB`);
    });
    progress("model", 0.75, "Checking the model file");
    let info;
    try {
      info = toJs(pySession().load_model(bytes, name));
    } catch (error) {
      const clean = pythonError(error);
      throw new EngineError(`This model file cannot be used: ${clean.message}`, "model");
    }
    info.source = source;
    info.loadMs = Math.round(performance.now() - started);
    info.executor = await attachDevice(bytes, info, { source, ...options, defaultModelPath: assets.default_model });
    info.device = info.executor.device || null;   // {kind, name, threads}: the panel shows it
    model = { source, key, options, info };
    progress("model", 1, "Model ready");
    return info;
  })();
  loadingModel = { source, key, promise };
  try {
    return await promise; // a failed load leaves the previous model in place
  } finally {
    loadingModel = null;
  }
}

// The device that runs the model: Python decides (precis.device_choice) from the adapter and the setting.
async function chooseDevice(deviceSetting) {
  adapterInfo ??= await describeAdapter();
  const choose = pyodide.runPython("from precis.device_choice import choose_device; choose_device");
  try {
    return toJs(choose.callKwargs(pyodide.toPy(adapterInfo), deviceSetting || "auto", {
      hardware_concurrency: navigator.hardwareConcurrency || 1, cross_origin_isolated: Boolean(self.crossOriginIsolated) }));
  } catch (error) {
    throw pythonError(error);
  } finally {
    choose.destroy();
  }
}

async function attachDevice(modelBytes, modelInfo, { source, deviceSetting, context, threads, defaultModelPath }) {
  const choice = await chooseDevice(deviceSetting);
  const cpu = await import("./cpu_device_plugin.js");
  if (choice.kind !== "cpu") {
    await cpu.detachCpuDevice();
    const attached = await attachExecutor(modelBytes, modelInfo, context);
    if (attached.available) attached.device = { kind: "webgpu", name: attached.adapter, reason: choice.reason };
    return attached;
  }
  (await import("./webgpu_executor.js").catch(() => null))?.detachExecutor?.();
  progress("device", 0.8, "Loading the model for the CPU (llama.cpp)");
  try {
    const details = await cpu.attachCpuDevice({
      pyodide, session: pySession(), source, defaultModelPath, threads: threads || choice.threads, context,
      progress: (fraction, message) => progress("device", 0.8 + 0.2 * fraction, message),
    });
    details.device.reason = choice.reason;
    return { available: true, ...details };
  } catch (error) {
    return { available: false, reason: `the CPU device could not run this model: ${error?.message || error}` };
  }
}

// The GPU step, from another module that may not be part of this build yet.
async function attachExecutor(modelBytes, modelInfo, context = null) {
  let module;
  try {
    module = await import("./webgpu_executor.js");
  } catch {
    return { available: false, reason: "the WebGPU executor is not part of this build" };
  }
  if (typeof module.attachExecutor !== "function") {
    return { available: false, reason: "webgpu_executor.js exports no attachExecutor" };
  }
  adapterInfo ??= await describeAdapter();
  progress("pipelines", 0.8, "Preparing the GPU pipelines");
  try {
    const details = await module.attachExecutor({
      pyodide, session: pySession(), modelBytes, modelInfo, adapter: adapterInfo, context,
      progress: (fraction, message) => progress("pipelines", 0.8 + 0.2 * fraction, message),
    });
    return { available: true, ...(details || {}) };
  } catch (error) {
    return { available: false, reason: `the GPU could not run this model: ${pythonError(error).message}` };
  }
}

// ---- requests ------------------------------------------------------------------------------

const cancelled = new Set(); // requestIds asked to stop

function streamCallbacks(requestId) {
  return {
    on_text: (text) => postMessage({ type: "token", requestId, text }),
    on_progress: (stage, done, total) => postMessage({ type: "progress", requestId, stage, done, total }),
    should_stop: () => cancelled.has(requestId),
  };
}

// Call a Python method so that it may suspend on a JS promise (JSPI), when Pyodide can.
async function callPython(method, args, kwargs) {
  const call = method.callPromisingKwargs ? method.callPromisingKwargs.bind(method) : method.callKwargs.bind(method);
  try {
    return toJs(await call(...args, kwargs));
  } catch (error) {
    throw pythonError(error);
  } finally {
    method.destroy();
  }
}

// Run session.<name>(...) for a request, streaming tokens; `kwargs(on_progress)` gives the
// request's own arguments (built after boot, when Python exists to convert them).
async function generateWith(name, message, kwargs) {
  const { requestId } = message;
  await loadModel(message.source || "package", message);
  const { on_text, on_progress, should_stop } = streamCallbacks(requestId);
  try {
    const all = { temperature: Number(message.temperature) || 0, on_text, should_stop, ...kwargs(on_progress) };
    const result = await callPython(pySession()[name], [], all);
    if (cancelled.has(requestId)) result.stats.finish_reason = "cancelled";
    return result;
  } finally {
    cancelled.delete(requestId);
  }
}

const handlers = {
  boot: () => ensureBooted(),
  load_model: (message) => loadModel(message.source || "package", message),
  summarize: (message) => generateWith("summarize", message, (on_progress) => ({
    page: pyodide.toPy(message.page), style: message.style, length: message.length, on_progress,
  })),
  chat: (message) => generateWith("chat", message, () => ({
    messages: pyodide.toPy(message.messages), page: message.page ? pyodide.toPy(message.page) : null,
    ...(message.max_tokens ? { max_tokens: Number(message.max_tokens) } : {}),  // else the session's default
  })),
  ground: async (message) => {
    await ensureBooted();
    const fn = pyodide.runPython("from precis.grounding import ground_as_dict; ground_as_dict");
    return callPython(fn, [message.summary, message.text], {});
  },
  // Encode speed of the model's tokenizer inside the extension's Pyodide (python -m precis_build.bench_tokenizer --browser).
  time_encode: async (message) => {
    await loadModel(message.source || "package", message);
    return callPython(pySession().time_encode, [message.text], { repeat: message.repeat || 3 });
  },
  cancel: (message) => {
    cancelled.add(message.requestId);
    return true;
  },
  // The device alone (tests, benchmarks): greedy ids for prompt_ids, and a simulated GPU device loss.
  generate_ids: async (message) => {
    const info = await loadModel(message.source || "package", message);
    if (!info.executor?.available) throw new EngineError(info.executor?.reason || "no WebGPU executor", "executor");
    const { generateIds } = await import(info.device?.kind === "cpu" ? "./cpu_device_plugin.js" : "./webgpu_executor.js");
    return generateIds(pyodide, message.prompt_ids, message.max_tokens,
      { stopIds: message.stop_ids || [], fresh: !message.continue });
  },
  lose_device_for_test: async () => (await import(model?.info.device?.kind === "cpu" ? "./cpu_device_plugin.js"
    : "./webgpu_executor.js")).loseDeviceForTest(),
};

self.onmessage = async (event) => {
  const { id, type } = event.data || {};
  const handler = handlers[type];
  try {
    if (!handler) throw new Error(`unknown engine request: ${type}`);
    postMessage({ id, type: "result", value: await handler(event.data) });
  } catch (error) {
    postMessage({ id, type: "error", message: error?.message || String(error), kind: error?.kind || "engine" });
  }
};
