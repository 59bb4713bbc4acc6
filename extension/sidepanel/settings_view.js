// The settings the user changes in the panel (style, length, temperature, device), shown from
// and saved to chrome.storage.local (settings.js). The model has its own picker (model_picker.js).

import { state } from "./panel_state.js";
import { saveSetting } from "./settings.js";
import { $ } from "./ui.js";

export async function setSetting(key, value) {
  state.settings[key] = value;
  await saveSetting(key, value);
}

export function showSettings() {
  $("style").value = state.settings.style;
  $("length").value = state.settings.length;
  $("device").value = state.settings.device;
  $("temperature").value = String(state.settings.temperature);
  $("temperature-value").textContent = String(state.settings.temperature);
  $("judge").checked = state.settings.judge;
}

export function wireSettings() {
  $("style").addEventListener("change", (e) => setSetting("style", e.target.value));
  $("length").addEventListener("change", (e) => setSetting("length", e.target.value));
  $("temperature").addEventListener("input", (e) => {
    $("temperature-value").textContent = e.target.value;
  });
  $("temperature").addEventListener("change", (e) => setSetting("temperature", Number(e.target.value)));
  // The next request loads the model on the chosen device (model_picker.ensureModel).
  $("device").addEventListener("change", (e) => setSetting("device", e.target.value));
  $("judge").addEventListener("change", (e) => setSetting("judge", e.target.checked));
}
