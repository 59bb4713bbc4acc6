// The running request: at most one at a time. A request is a summary or a chat answer; it
// begins, may wait for steps (reading the page, loading the model) that Stop cuts short, gets
// an engine id once its generation starts, and ends with a result or a message in the notice.
//
// Two requests at once: the newer summary stops the running one first (summary_view.js); chat
// questions wait (Send is disabled) until the running answer ends or is stopped.
// Views follow the lifecycle through `requestEvents`: "busy" when a request begins or ends,
// "settled" with {kind, tabId, result} (result null when the panel showed a message instead).

import { EngineError } from "../engine/engine_client.js";
import { engine } from "./engine.js";
import { showFailure, showRestarting, showStatus } from "./engine_status.js";
import { ensureModel } from "./model_picker.js";
import { PageAccessError } from "./page_access.js";
import { state } from "./panel_state.js";
import { $, notice, taskDone } from "./ui.js";

export const requestEvents = new EventTarget();

export class Stopped extends Error {
  constructor() {
    super("Stopped.");
  }
}

// A failure the panel explains itself (no tab, no device): shown as is.
export class PanelError extends Error {}

function setBusy(busy) {
  state.busy = busy;
  $("stop").hidden = !busy;
  document.body.dataset.busy = busy ? busy.kind : "";
  requestEvents.dispatchEvent(new Event("busy"));
}

function beginRequest(kind, tabId) {
  let finish, stop;
  const busy = {
    requestId: null, kind, tabId, stopped: false,
    done: new Promise((resolve) => { finish = resolve; }),
    stopSignal: new Promise((resolve) => { stop = resolve; }),
  };
  busy.finish = finish;
  busy.stop = () => { busy.stopped = true; stop(); };
  setBusy(busy);
  return busy;
}

function endRequest(busy) {
  taskDone();
  busy.finish();
  if (state.busy === busy) setBusy(null);
}

// Run one request: body(busy) does the work and returns its result. Failures become a notice.
export async function runRequest(kind, tabId, body) {
  const busy = beginRequest(kind, tabId);
  let result = null;
  try {
    result = await body(busy);
  } catch (error) {
    showError(error);
  } finally {
    endRequest(busy);
  }
  requestEvents.dispatchEvent(new CustomEvent("settled", { detail: { kind, tabId, result } }));
  return result;
}

// Wait for a step of the running request (reading the page, loading the model) unless Stop
// comes first: then the request ends now (a model load goes on in the engine, for the next one).
export async function unlessStopped(promise) {
  const busy = state.busy;
  const value = await Promise.race([promise, busy.stopSignal]);
  if (busy.stopped) throw new Stopped();
  return value;
}

// How long the engine has to confirm a Stop. It answers a cancel between two steps of Python (at most
// precis.engine.POLL_S apart); no answer by then means a synchronous stretch holds the worker.
export const STOP_ANSWER_MS = 2000;
export const RESTARTED_NOTICE = "The engine did not answer Stop within 2 s; it was restarted and the model reloaded.";

// Stop the running request (if any) and wait until the engine has let go of it: the watchdog replaces
// an engine that does not confirm within STOP_ANSWER_MS (the request waiting on it is released then).
export async function stopCurrent(reason) {
  const running = state.busy;
  if (!running) return;
  // Before the generation has an id the flag stops it as soon as it starts; after, the
  // engine stops it at its next token (or prefill slice).
  running.stop();
  if (running.requestId && !running.cancelling) {   // one watchdog per request, however many Stops
    running.cancelling = true;
    let timer;
    const answered = await Promise.race([
      engine.cancel(running.requestId).then(() => true, () => true),
      new Promise((resolve) => { timer = setTimeout(() => resolve(false), STOP_ANSWER_MS); }),
    ]);
    clearTimeout(timer);
    if (!answered) {
      replaceEngine();   // rejects the request's generation now; the boot and the reload go on behind
      reason = RESTARTED_NOTICE;
    }
  }
  await running.done.catch(() => {});
  if (reason) notice(reason, "info");
}

// A new engine for a stuck one, then the model the settings name (same source, same device) loaded in it.
// Settings and stored models are the panel's and OPFS's: nothing of them is lost.
async function replaceEngine() {
  state.model = null;
  showRestarting();
  let status;
  try {
    status = await engine.restart(RESTARTED_NOTICE);
  } catch (error) {
    showFailure(error);
    return;
  }
  showStatus(status);
  // A failed reload is not shown here: the next request loads the model again and says why it cannot.
  await ensureModel().catch((error) => console.warn("Précis: the restarted engine did not load the model", error));
}

// The running request now has an engine id; a Stop that came earlier applies to it now.
export function startedGeneration(generation) {
  const busy = state.busy;
  busy.requestId = generation.requestId;
  if (busy.stopped) engine.cancel(generation.requestId).catch(() => {});
}

// Errors carry a kind (PageAccessError, EngineError from the engine's {kind, message}): the
// message is shown as is, the kind picks how.
export function showError(error) {
  if (error instanceof Stopped) notice("Stopped.", "info");
  else if (error instanceof PageAccessError) notice(error.message, error.kind === "empty" ? "info" : "error");
  else if (error instanceof EngineError && error.kind === "cancelled") notice("Stopped.", "info");
  else notice(error?.message || String(error), "error");
}
