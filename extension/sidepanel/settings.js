// @ts-check
// User settings in chrome.storage.local, with defaults that work out of the box.

/** @typedef {{model: string, style: string, length: string, temperature: number, device: "auto" | "gpu" | "cpu", judge: boolean}} Settings */

/** @type {Readonly<Settings>} */
export const DEFAULTS = Object.freeze({
  model: "package",     // "package" (the built-in model) or "opfs:<file name>"
  style: "key-points",  // key-points | tldr | teaser | headline
  length: "medium",     // short | medium | long
  temperature: 0,       // 0 = greedy
  device: "auto",       // auto | gpu | cpu: what runs the model (sent with every engine request)
  judge: false,         // the loaded model also judges the points the lexical check passes (slower)
});

/** The valid values, Python's: the engine's boot status carries them (status.contract, precis.engine.Engine.contract).
 * @typedef {{styles: string[], lengths: string[], device_settings: string[]}} Contract */

// Stored values that are no longer valid fall back to the default, so a bad value never sticks. Styles, lengths
// and devices are checked against `contract`: before the engine has booted it is not known yet, and
// sidepanel.js loads the settings again once it is.
function clean(stored, /** @type {Contract | null} */ contract) {
  const valid = { style: contract?.styles, length: contract?.lengths, device: contract?.device_settings };
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = stored[key];
    if (value === undefined) continue;
    if (valid[key] && !valid[key].includes(value)) continue;
    if (key === "temperature" && !(Number.isFinite(value) && value >= 0 && value <= 2)) continue;
    if (key === "judge" && typeof value !== "boolean") continue;
    if (key === "model" && !(value === "package" || (typeof value === "string" && value.startsWith("opfs:")))) continue;
    out[key] = value;
  }
  return out;
}

/** @param {Contract | null} [contract] */
export async function loadSettings(contract = null) {
  return clean(await chrome.storage.local.get(Object.keys(DEFAULTS)), contract);
}

export async function saveSetting(key, value) {
  if (!(key in DEFAULTS)) throw new Error(`unknown setting ${key}`);
  await chrome.storage.local.set({ [key]: value });
}
