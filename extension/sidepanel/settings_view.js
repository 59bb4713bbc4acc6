// @ts-check
// The settings the user changes in the panel (style, length, temperature, device), shown from
// and saved to chrome.storage.local (settings.js). The model has its own picker (model_picker.js).

import { settingChanged, state } from "./panel_state.js";
import { saveSetting } from "./settings.js";
import { $ } from "./ui.js";

/** A setting the user (or the model picker) changed: in the store, and kept in storage. */
export async function setSetting(key, value) {
  settingChanged(key, value);
  await saveSetting(key, value);
}

export function showSettings() {
  $("style", HTMLSelectElement).value = state.settings.style;
  $("length", HTMLSelectElement).value = state.settings.length;
  $("device", HTMLSelectElement).value = state.settings.device;
  $("temperature", HTMLInputElement).value = String(state.settings.temperature);
  $("temperature-value").textContent = String(state.settings.temperature);
  $("judge", HTMLInputElement).checked = state.settings.judge;
}

export function wireSettings() {
  const [style, length, device] = ["style", "length", "device"].map((id) => $(id, HTMLSelectElement));
  const temperature = $("temperature", HTMLInputElement);
  style.addEventListener("change", () => setSetting("style", style.value));
  length.addEventListener("change", () => setSetting("length", length.value));
  temperature.addEventListener("input", () => {
    $("temperature-value").textContent = temperature.value;
  });
  temperature.addEventListener("change", () => setSetting("temperature", Number(temperature.value)));
  // The next request loads the model on the chosen device (model_picker.ensureModel).
  device.addEventListener("change", () => setSetting("device", device.value));
  const judge = $("judge", HTMLInputElement);
  judge.addEventListener("change", () => setSetting("judge", judge.checked));
}
