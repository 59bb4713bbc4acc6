// The model: loaded on the first request (or when the choice changes), chosen in the settings
// among the built-in one and the user's own GGUF files (kept in OPFS). A choice becomes the
// setting only after the engine has loaded it: a refused or failed file is never saved, never
// kept in OPFS, and the previous model stays selected.

import { OPFS_DIR, removeStoredModel, storeModelFile } from "../engine/model_source.js";
import { engine, modelChoice } from "./engine.js";
import { showEngineFacts } from "./engine_status.js";
import { state } from "./panel_state.js";
import { setSetting } from "./settings_view.js";
import { $, notice, taskDone } from "./ui.js";

// Load `source` on `device`; on success it is the panel's model (the engine keeps the previous
// one when a load fails, and so does the panel).
async function loadModel(source, device) {
  let info;
  try {
    info = await engine.request("load_model", { source, device });
  } finally {
    taskDone();
  }
  state.model = { ...info, source, deviceSetting: device };
  showEngineFacts();
  return state.model;
}

// The model the settings name, loaded if it is not yet.
export async function ensureModel() {
  const { source, device } = modelChoice();
  if (state.model?.source === source && state.model.deviceSetting === device) return state.model;
  const model = await loadModel(source, device);
  if (model.executor && model.executor.available === false) {
    notice(`Model ready, but text generation is not available: ${model.executor.reason}.`, "error");
  }
  return model;
}

async function storedModelNames() {
  try {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(OPFS_DIR, { create: true });
    const names = [];
    for await (const [name, handle] of dir.entries()) if (handle.kind === "file") names.push(name);
    return names.sort();
  } catch {
    return [];
  }
}

// The named models (vendor/precis-assets.json, written by `precis setup` / `precis pack` from Python's
// catalog): the built-in one's line, and each other known model's name, size and languages, listed but not
// choosable (this build does not hold it; "Add a model" takes its file).
let knownModels = null;
async function modelCatalog() {
  if (!knownModels) {
    try {
      knownModels = await (await fetch(chrome.runtime.getURL("vendor/precis-assets.json"))).json();
    } catch {
      knownModels = {};
    }
  }
  return knownModels;
}

export async function fillModelChoices() {
  const select = $("model-source");
  const builtIn = select.querySelector('option[value="package"]');
  const assets = await modelCatalog();
  if (assets.default_model_label) builtIn.textContent = `${assets.default_model_label} (built in)`;
  select.replaceChildren(builtIn);
  for (const model of assets.models || []) {
    if (assets.default_model?.endsWith(`/${model.file}`)) continue;
    const option = document.createElement("option");
    option.value = `known:${model.name}`;
    option.disabled = true;
    option.textContent = `${model.label} (not in this build)`;
    select.append(option);
  }
  for (const name of await storedModelNames()) {
    const option = document.createElement("option");
    option.value = `opfs:${name}`;
    option.textContent = `${name} (your file)`;
    select.append(option);
  }
  select.value = state.settings.model;
  if (select.value !== state.settings.model) select.value = "package";
}

// "Using <model> (<architecture>)." and, when our GPU kernels could not run it and llama.cpp on the CPU
// does (the engine's "auto" fallback), why it runs there.
export function usingMessage(model, name) {
  const using = `Using ${model.title || name} (${model.architecture}).`;
  return model.device?.fallback ? `${using} It runs on the CPU: ${model.device.reason}.` : using;
}

function modelMessage(text, kind = "info") {
  const message = $("model-message");
  message.textContent = text;
  message.dataset.kind = kind;
}

// A failed model change says why; a stopped one (Cancel) only that it stopped.
function changeFailed(error) {
  modelMessage(error.message, error.kind === "cancelled" ? "info" : "error");
}

// A model change can be stopped while it runs: Cancel shows until it ends (the engine keeps the model in use).
async function cancellable(task) {
  const button = $("model-cancel");
  button.hidden = false;
  button.disabled = false;
  try {
    return await task();
  } finally {
    button.hidden = true;
  }
}

async function chooseStoredModel(source) {
  const name = source.replace(/^opfs:/, "");
  modelMessage(`Loading ${name}…`);
  try {
    const model = await cancellable(() => loadModel(source, state.settings.device));
    await setSetting("model", source);
    modelMessage(usingMessage(model, name));
    return model;
  } catch (error) {
    changeFailed(error);
    return null;
  } finally {
    await fillModelChoices(); // back to the setting: the new one, or the previous one
  }
}

// Store the picked file, load it, keep it: through the engine's add_model when it has one (it
// keeps the file aside until it loaded, and beside a stored model of the same name, never over
// it); else stored here first, refused if a stored model has its name, removed if it fails.
async function addModelFile(file, bar) {
  if (typeof engine.addModel === "function") {
    let info;
    try {
      info = await engine.request("add_model", { file, device: state.settings.device });
    } finally {
      taskDone();
    }
    state.model = { ...info, deviceSetting: state.settings.device };
    await setSetting("model", info.source);
    showEngineFacts();
    return state.model;
  }
  if ((await storedModelNames()).includes(file.name)) {
    throw new Error(`A model named "${file.name}" is already stored: choose it in the list, or rename the new file.`);
  }
  const stored = await storeModelFile(file, (fraction) => { bar.value = fraction; });
  modelMessage(`Checking ${file.name}…`);
  try {
    const model = await loadModel(stored, state.settings.device);
    await setSetting("model", stored);
    return model;
  } catch (error) {
    await removeStoredModel(stored);
    throw error;
  }
}

async function pickModelFile(file) {
  const bar = $("model-progress");
  bar.hidden = false;
  bar.value = 0;
  modelMessage(`Storing ${file.name}…`);
  try {
    if (!/\.gguf$/i.test(file.name)) throw new Error(`"${file.name}" is not a .gguf file`);
    const model = await cancellable(() => addModelFile(file, bar));
    modelMessage(usingMessage(model, file.name));
    return model;
  } catch (error) {
    changeFailed(error);
    if (error.kind !== "cancelled") notice(error.message, "error");
    return null;
  } finally {
    bar.hidden = true;
    $("model-file").value = "";
    await fillModelChoices();
  }
}

export function wireModelPicker() {
  $("model-cancel").addEventListener("click", (e) => {
    e.target.disabled = true;
    engine.cancelLoad().catch(() => {});
  });
  $("model-source").addEventListener("change", (e) => {
    if (e.target.value !== state.settings.model) chooseStoredModel(e.target.value);
  });
  $("model-file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    if (file) pickModelFile(file);
  });
}
