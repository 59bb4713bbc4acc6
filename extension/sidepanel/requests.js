// @ts-check
// The running request, as the panel shows it: at most one at a time (state.busy in the store). A request is a
// summary or a chat answer; it begins, may wait for the panel's own steps (reading the page, the model's load)
// that Stop cuts short, gets an engine id once its generation starts, and ends with a result or a message in
// the notice.
//
// Which generation runs, and what a cancel does, is the engine's to decide (../engine/engine_state.js: newest
// wins, a cancel is answered at once with what streamed). The panel only sends: Stop sends a cancel for the
// running generation and waits for the engine's answer (the watchdog replaces an engine that gives none); a
// newer summary is a Stop, then the new request (summary_view.js); chat questions wait (Send is disabled)
// until the running answer ends or is stopped.
// The store tells views when the running request changes ("busy"); `requestEvents` carries "busy" and
// "settled" with {kind, tabId, result} (result null when the panel showed a message instead) for whoever
// follows requests from outside (the tests' probe, `precis summarize`).

import { EngineError } from "../engine/engine_client.js";
import { engine, modelChoice } from "./engine.js";
import { PageAccessError } from "./page_access.js";
import { busyChanged, engineBooted, engineFailed, engineRestarting, state } from "./panel_state.js";
import { notice, taskDone } from "./ui.js";

export const requestEvents = new EventTarget();

export class Stopped extends Error {
  constructor() {
    super("Stopped.");
  }
}

// A failure the panel explains itself (no tab, no device): shown as is.
export class PanelError extends Error {}

function setBusy(busy) {
  busyChanged(busy);
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
// The new worker's state events say it has no model until the reload (the store's model follows them).
async function replaceEngine() {
  engineRestarting();
  let status;
  try {
    status = await engine.restart(RESTARTED_NOTICE);
  } catch (error) {
    engineFailed(error);
    return;
  }
  engineBooted(status);
  // A failed reload is not shown here: the next request loads the model again and says why it cannot.
  await engine.request("load_model", modelChoice())
    .catch((error) => console.warn("Précis: the restarted engine did not load the model", error));
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
