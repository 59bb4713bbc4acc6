// @ts-check
// The model: loaded on the first request (or when the choice changes), chosen in the settings
// among the built-in one and the user's own GGUF files (kept in OPFS, listed with their sizes and
// a Delete button). A choice becomes the setting only after the engine has loaded it: a refused or
// failed file is never saved, never kept in OPFS, and the previous model stays selected. A stored
// file that is gone (deleted here or in another window, or cleared with the site's data) sends
// the setting back to the built-in model, and the notice says so.

import { listOpfsModels, removeStoredModel, storedModelExists } from "../shared/model_store.js";
import { engine, modelChoice } from "./engine.js";
import { state } from "./panel_state.js";
import { setSetting } from "./settings_view.js";
import { $, notice, taskDone } from "./ui.js";

// Load `source` on `device`: the engine's answer (the model's info). The model in use is the worker's to say:
// its state event (loading -> idle) names it in the store before this answer comes (state.model), and names the
// previous one when a load fails or is stopped.
async function loadModel(source, device) {
  try {
    return await engine.request("load_model", { source, device });
  } finally {
    taskDone();
  }
}

const BUILT_IN = "package";
const nameOf = (source) => (source === BUILT_IN ? "the built-in model" : source.replace(/^opfs:/, ""));

// The setting names a stored file that is no longer there: back to the built-in model, and say why.
async function fallBackFromMissing(source) {
  await setSetting("model", BUILT_IN);
  const why = `Your model ${nameOf(source)} is no longer in the browser's storage: using the built-in model.`;
  notice(why, "info");
  modelMessage(why);
}

// The model the settings name, loaded if it is not yet.
export async function ensureModel() {
  if (!(await storedModelExists(state.settings.model))) {
    await fallBackFromMissing(state.settings.model);
    await fillModelChoices();
  }
  const { source, device } = modelChoice();
  if (state.model?.source === source && state.model.setting === device) return state.model;
  await loadModel(source, device);
  return state.model;
}

// The stored models, or null when OPFS cannot be read (then the setting is left alone: the file may be there).
async function storedModels() {
  try {
    return await listOpfsModels();
  } catch {
    return null;
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

const MiB = 1 << 20;
const sizeText = (bytes) => (bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`);

// The stored models: each with its size and a Delete button.
function showStoredModels(models) {
  const list = $("stored-models");
  list.replaceChildren();
  for (const { name, size, source } of models) {
    const item = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = `${name} (${sizeText(size)})`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Delete";
    remove.dataset.source = source;
    remove.setAttribute("aria-label", `Delete ${name}`);
    item.append(label, remove);
    list.append(item);
  }
  $("stored-models-none").hidden = models.length > 0;
}

export async function fillModelChoices() {
  const listed = await storedModels();
  const models = listed || [];
  const chosen = state.settings.model;
  if (listed && chosen !== BUILT_IN && !listed.some((m) => m.source === chosen)) await fallBackFromMissing(chosen);
  const select = $("model-source", HTMLSelectElement);
  const builtIn = select.querySelector(`option[value="${BUILT_IN}"]`);
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
  for (const { name, source } of models) {
    const option = document.createElement("option");
    option.value = source;
    option.textContent = `${name} (your file)`;
    select.append(option);
  }
  select.value = state.settings.model;
  showStoredModels(models);
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
  const button = $("model-cancel", HTMLButtonElement);
  button.hidden = false;
  button.disabled = false;
  try {
    return await task();
  } finally {
    button.hidden = true;
  }
}

async function chooseStoredModel(source) {
  const name = nameOf(source);
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

// The engine's add_model stores the picked file, loads it, and keeps it once it loaded (aside until then,
// and beside a stored model of the same name, never over it); the same file stored already is loaded
// from there instead (info.reused).
async function addModelFile(file) {
  let info;
  try {
    info = await engine.request("add_model", { file, device: state.settings.device });
  } finally {
    taskDone();
  }
  await setSetting("model", info.source);
  return info;
}

async function pickModelFile(file) {
  const bar = $("model-progress", HTMLProgressElement);
  bar.hidden = false;
  bar.value = 0;
  modelMessage(`Storing ${file.name}…`);
  try {
    if (!/\.gguf$/i.test(file.name)) throw new Error(`"${file.name}" is not a .gguf file`);
    const model = await cancellable(() => addModelFile(file));
    const using = usingMessage(model, file.name);
    modelMessage(model.reused ? `This file is already stored as ${nameOf(model.source)}: that copy is used. ${using}` : using);
    return model;
  } catch (error) {
    changeFailed(error);
    if (error.kind !== "cancelled") notice(error.message, "error");
    return null;
  } finally {
    bar.hidden = true;
    $("model-file", HTMLInputElement).value = "";
    await fillModelChoices();
  }
}

// Deleting the model in use loads the built-in model first: the engine never runs a file that is gone.
async function deleteStoredModel(source, button) {
  const name = nameOf(source);
  button.disabled = true;
  const switched = state.settings.model === source || state.model?.source === source;
  if (state.model?.source === source) {
    if (!(await chooseStoredModel(BUILT_IN))) {   // could not switch (stopped, failed): the file stays
      button.disabled = false;
      return false;
    }
  } else if (switched) {
    await setSetting("model", BUILT_IN);          // chosen but not loaded yet: the next request loads the built-in one
  }
  await removeStoredModel(source);
  modelMessage(switched ? `Deleted ${name}; it was the model in use: now using the built-in model.` : `Deleted ${name}.`);
  await fillModelChoices();
  return true;
}

export function wireModelPicker() {
  $("stored-models").addEventListener("click", (e) => {
    const button = e.target instanceof Element ? e.target.closest("button[data-source]") : null;
    if (button instanceof HTMLButtonElement && button.dataset.source) deleteStoredModel(button.dataset.source, button);
  });
  const cancel = $("model-cancel", HTMLButtonElement);
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    engine.cancelLoad().catch(() => {});
  });
  const choice = $("model-source", HTMLSelectElement);
  choice.addEventListener("change", () => {
    chooseStoredModel(choice.value);   // always: choosing "built in" again after a failure loads it
  });
  const picker = $("model-file", HTMLInputElement);
  picker.addEventListener("change", () => {
    const file = picker.files?.[0];
    if (file) pickModelFile(file);
  });
}
