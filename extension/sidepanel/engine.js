// @ts-check
// The panel's one engine (a worker running Pyodide): its state events go to the store (engineChanged), its
// progress events show the boot bar while it starts and the task line while a request waits for the model.

import { EngineClient } from "../engine/engine_client.js";
import { engineChanged, state } from "./panel_state.js";
import { $, taskDone, taskProgress } from "./ui.js";

export const engine = new EngineClient({
  onState: engineChanged,
  onProgress: ({ stage, fraction, message }) => {
    if (stage === "store") { // a picked model file being copied into the browser's storage
      $("model-progress", HTMLProgressElement).value = fraction;
      return;
    }
    if (stage === "model" || stage === "pipelines") {
      // Shown while a request waits for the model; a load that goes on after Stop stays quiet.
      if (state.busy && fraction < 1) taskProgress(fraction, message);
      else if (fraction >= 1) taskDone();
      return;
    }
    $("boot-progress", HTMLProgressElement).value = fraction;
    $("boot-message").textContent = message;
  },
});

// What every engine request carries from the settings: the model file and the device to run it on.
export function modelChoice() {
  return { source: state.settings.model, device: state.settings.device };
}
