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

// Stop the running request (if any) and wait until the engine has let go of it.
export async function stopCurrent(reason) {
  const running = state.busy;
  if (!running) return;
  // Before the generation has an id the flag stops it as soon as it starts; after, the
  // engine stops it at its next token (or prefill slice).
  running.stop();
  if (running.requestId) await engine.cancel(running.requestId).catch(() => {});
  await running.done.catch(() => {});
  if (reason) notice(reason, "info");
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
