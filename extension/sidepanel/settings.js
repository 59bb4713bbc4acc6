// User settings in chrome.storage.local, with defaults that work out of the box.

export const DEFAULTS = Object.freeze({
  model: "package",     // "package" (the built-in model) or "opfs:<file name>"
  style: "key-points",  // key-points | tldr | teaser | headline
  length: "medium",     // short | medium | long
  temperature: 0,       // 0 = greedy
  device: "auto",       // auto | gpu | cpu: what runs the model (sent with every engine request)
  judge: false,         // the loaded model also judges the points the lexical check passes (slower)
});

const VALID = {
  style: ["key-points", "tldr", "teaser", "headline"],
  length: ["short", "medium", "long"],
  device: ["auto", "gpu", "cpu"],
};

// Stored values that are no longer valid fall back to the default, so a bad value never sticks.
function clean(stored) {
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) {
    const value = stored[key];
    if (value === undefined) continue;
    if (VALID[key] && !VALID[key].includes(value)) continue;
    if (key === "temperature" && !(Number.isFinite(value) && value >= 0 && value <= 2)) continue;
    if (key === "judge" && typeof value !== "boolean") continue;
    if (key === "model" && !(value === "package" || (typeof value === "string" && value.startsWith("opfs:")))) continue;
    out[key] = value;
  }
  return out;
}

export async function loadSettings() {
  return clean(await chrome.storage.local.get(Object.keys(DEFAULTS)));
}

export async function saveSetting(key, value) {
  if (!(key in DEFAULTS)) throw new Error(`unknown setting ${key}`);
  await chrome.storage.local.set({ [key]: value });
}
