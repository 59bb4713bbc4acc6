// The engine: a module Worker that owns Pyodide (and, later, the GPUDevice). Loaded once by
// the side panel and kept warm. Everything it runs comes from the extension package:
// Pyodide core, our wheels, the model. It never touches the network.
//
// Messages in:  {id, type: "boot"}
// Messages out: {type: "progress", stage, fraction, message}
//               {id, type: "result", value} | {id, type: "error", message}

import { loadPyodide } from "../../vendor/pyodide/pyodide.mjs";

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

  const status = {
    precisVersion,
    packageVersion: assets.version,
    pythonVersion: pyodide.runPython("import sys; sys.version.split()[0]"),
    pyodideVersion: pyodide.version,
    adapter,
    bootMs: Math.round(performance.now() - started),
    pyodideMs: Math.round(pyodideMs),
  };
  progress("ready", 1, "Ready");
  return status;
}

const handlers = {
  boot: () => {
    booting ??= boot().catch((error) => {
      booting = null; // let a later request try again
      throw error;
    });
    return booting;
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data || {};
  const handler = handlers[type];
  try {
    if (!handler) throw new Error(`unknown engine request: ${type}`);
    postMessage({ id, type: "result", value: await handler(event.data) });
  } catch (error) {
    postMessage({ id, type: "error", message: error?.message || String(error) });
  }
};
