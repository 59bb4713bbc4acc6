// @ts-check
// The engine's state as the panel shows it: the pill, the facts (versions, GPU, model, which
// device runs it), the GPU's features and limits, the stats line after an answer. It draws what the store
// holds (watchEngine): the boot status, a failure, a restart, and the worker's state events (the model).

import { state, subscribe } from "./panel_state.js";
import { $, fillList, notice } from "./ui.js";

function setPill(name, label) {
  const pill = $("engine-state");
  pill.dataset.state = name;
  pill.textContent = label;
}

// What runs the model: the engine's own account of the loaded model's device when it gives one
// (info.device: {kind: "webgpu"|"cpu", name, threads}); before a load, what the engine said at
// boot that "auto" would use (status.device, optional), else the WebGPU adapter it found.
function describeDevice(device) {
  if (device?.kind === "cpu") return device.threads ? `CPU, ${device.threads} thread${device.threads === 1 ? "" : "s"}` : "CPU";
  return device?.name || null;
}

export function deviceLabel() {
  const loaded = describeDevice(state.model?.device);
  if (loaded) return loaded;
  if (state.status?.device?.kind === "cpu" && state.settings.device !== "gpu") return describeDevice(state.status.device);
  const adapter = state.status?.adapter;
  return adapter?.available ? adapter.name : null;
}

export function showEngineFacts() {
  const status = state.status;
  if (!status) return;
  const adapter = status.adapter;
  const facts = [
    ["Précis", status.precisVersion],
    ["Python", `${status.pythonVersion} (Pyodide ${status.pyodideVersion})`],
    ["GPU", adapter.available ? adapter.name : adapter.reason],
    ["Started in", `${(status.bootMs / 1000).toFixed(1)} s`],
  ];
  if (state.model) {
    facts.push(["Model", `${state.model.title} (${state.model.architecture}, context ${state.model.context})`]);
    facts.push(["Runs on", deviceLabel() || "no device"]);
  }
  fillList($("engine-facts"), facts);
}

// Whether requests can run at all: without a WebGPU adapter only a CPU device can answer, and
// only when the engine says "auto" runs on one (status.device, optional) and the setting allows it.
function cpuCanRun() {
  return state.status?.device?.kind === "cpu" && state.settings.device !== "gpu";
}

export function cannotRunMessage() {
  const adapter = state.status?.adapter;
  if (!adapter || adapter.available || cpuCanRun()) return null;
  return `WebGPU is not available here: ${adapter.reason} Précis needs a GPU to run the model.`;
}

function showStatus() {
  const status = state.status;
  const adapter = status.adapter;
  showEngineFacts();
  if (adapter.available) {
    $("adapter-features").replaceChildren(...adapter.features.map((feature) => {
      const li = document.createElement("li");
      li.textContent = feature;
      return li;
    }));
    fillList($("adapter-limits"), Object.entries(adapter.limits).map(([k, v]) => [k, String(v)]));
  }
  $("loading").hidden = true;
  $("engine").hidden = false;
  if (adapter.available) setPill("ready", "Ready");
  else if (cpuCanRun()) setPill("ready", "Ready (CPU)");
  else setPill("error", "No GPU");
  const message = cannotRunMessage();
  if (message) notice(message, "error");
}

// A stuck engine being replaced (requests.js): the pill says so until the new one has booted.
function showRestarting() {
  setPill("loading", "Restarting…");
}

function showFailure() {
  const error = state.failure;
  $("loading").hidden = true;
  $("failure").hidden = false;
  $("failure-message").textContent = error.message;
  setPill("error", "Error");
}

export function showStats(stats, modelName) {
  const parts = [];
  if (stats?.ttft_s != null) parts.push(`First token ${stats.ttft_s.toFixed(2)} s`);
  if (stats?.tokens_per_s != null) parts.push(`${stats.tokens_per_s.toFixed(1)} tokens/s`);
  if (modelName) parts.push(modelName);
  const device = deviceLabel();
  if (device) parts.push(device);
  $("stats").textContent = parts.join(" · ");
}

/** Draws the engine's part of the store as it changes. */
export function watchEngine() {
  subscribe((change) => {
    if (change === "status") showStatus();
    else if (change === "failure") showFailure();
    else if (change === "restarting") showRestarting();
    else if (change === "engine") showEngineFacts();   // the loaded model, as the worker's state event says
  });
}
