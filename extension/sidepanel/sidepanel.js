// Side panel: starts the engine, shows its progress, then its status.
// Everything shown comes from the engine or the browser and is written with textContent.

import { EngineClient } from "../engine/engine_client.js";

const $ = (id) => document.getElementById(id);

function setState(state, label) {
  const pill = $("engine-state");
  pill.dataset.state = state;
  pill.textContent = label;
}

function fillList(dl, entries) {
  dl.replaceChildren();
  for (const [term, value] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    dl.append(dt, dd);
  }
}

function showStatus(status) {
  const adapter = status.adapter;
  fillList($("engine-facts"), [
    ["Précis", status.precisVersion],
    ["Python", `${status.pythonVersion} (Pyodide ${status.pyodideVersion})`],
    ["GPU", adapter.available ? adapter.name : adapter.reason],
    ["Started in", `${(status.bootMs / 1000).toFixed(1)} s`],
  ]);
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
  setState(adapter.available ? "ready" : "error", adapter.available ? "Ready" : "No GPU");
}

function showFailure(error) {
  $("loading").hidden = true;
  $("failure").hidden = false;
  $("failure-message").textContent = error.message;
  setState("error", "Error");
}

const engine = new EngineClient({
  onProgress: ({ fraction, message }) => {
    $("boot-progress").value = fraction;
    $("boot-message").textContent = message;
  },
});
// Tests and the CLI read the engine's status from here.
window.precisEngine = engine;
window.precisStatus = engine.boot().then(
  (status) => { showStatus(status); return status; },
  (error) => { showFailure(error); throw error; },
);
