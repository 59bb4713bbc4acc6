// @ts-check
// The panel's store: what the panel knows, in one object (`state`), changed only by the actions below. Each
// action tells the subscribers what changed; views read `state` and draw on the changes they follow. The
// engine's part (what it is doing, which model it has loaded) is only ever the worker's own account: its state
// events (../engine/engine_state.js), never recomputed here. This module imports nothing of the panel but its
// settings' defaults, so every other module may import it and imports go one way.

import { DEFAULTS } from "./settings.js";

/** @typedef {import("../engine/engine_client.js").EngineStateEvent} EngineStateEvent */
/** @typedef {import("../engine/engine_client.js").ModelIdentity} ModelIdentity */
/** @typedef {import("./settings.js").Settings} Settings */

/** One tab's record: its page (extract.js's), its summary, its conversation; a new record when the tab
 * navigates (watchTabs drops the old one), so a request that kept the old record can tell its page is gone.
 * @typedef {{page: any, summary: any, messages: {role: string, content: string, stats?: object}[],
 *            conversation?: {id: string, page: any, epoch: number} | null}} TabRecord */

/** The running request (requests.js): a summary or a chat answer, at most one at a time.
 * @typedef {{kind: "summary" | "chat", tabId: number | null, requestId: string | null, stopped: boolean,
 *            cancelling?: boolean, done: Promise<void>, stopSignal: Promise<void>, finish: () => void,
 *            stop: () => void}} RunningRequest */

/** @typedef {{settings: Settings, status: any, failure: Error | null, restarting: boolean,
 *             engine: EngineStateEvent, model: ModelIdentity | null, windowId: number | null,
 *             pinnedTabId: number | null, tabId: number | null, tabs: Map<number, TabRecord>,
 *             busy: RunningRequest | null}} PanelState */

/** What an action changed: the name subscribers are told.
 * @typedef {"settings" | "status" | "failure" | "restarting" | "engine" | "tab" | "busy"} Change */

/** @type {PanelState} */
export const state = {
  settings: { ...DEFAULTS },
  status: null,          // the engine's boot status (null until it booted)
  failure: null,         // why the engine could not start
  restarting: false,     // a stuck engine is being replaced (requests.js)
  engine: { type: "state", state: "off", model: null, requestId: null },   // the worker's latest state event
  model: null,           // the loaded model: engine.model, as the worker said it
  windowId: null,
  pinnedTabId: null,     // ?tab=ID: the panel serves that tab only (panel opened as a page)
  tabId: null,           // the tab shown now
  tabs: new Map(),       // tabId -> TabRecord
  busy: null,            // the running request
};

/** @type {Set<(change: Change) => void>} */
const listeners = new Set();

/** Calls `listener(change)` after every action; returns the function that stops it.
 * @param {(change: Change) => void} listener */
export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** @param {Change} change */
function changed(change) {
  for (const listener of listeners) listener(change);
}

// ---- actions ----------------------------------------------------------------------------------------------

/** The worker's state event: what the engine does and which model it has loaded (a new worker: none). */
export function engineChanged(/** @type {EngineStateEvent} */ event) {
  state.engine = event;
  state.model = event.model;
  changed("engine");
}

/** The engine booted: its status (versions, adapter, the constants shared with Python). */
export function engineBooted(status) {
  state.status = status;
  state.restarting = false;
  changed("status");
}

export function engineFailed(/** @type {Error} */ error) {
  state.failure = error;
  state.restarting = false;
  changed("failure");
}

export function engineRestarting() {
  state.restarting = true;
  changed("restarting");
}

/** @param {Settings} settings */
export function settingsLoaded(settings) {
  state.settings = settings;
  changed("settings");
}

/** @template {keyof Settings} K @param {K} key @param {Settings[K]} value */
export function settingChanged(key, value) {
  state.settings[key] = value;
  changed("settings");
}

/** Where the panel is: its window, and the tab it is pinned to (or null: the window's active tab). */
export function placePanel(/** @type {number | null} */ windowId, /** @type {number | null} */ pinnedTabId) {
  state.windowId = windowId;
  state.pinnedTabId = pinnedTabId;
}

export function tabShown(/** @type {number | null} */ tabId) {
  state.tabId = tabId;
  changed("tab");
}

/** A tab's record, a new one made when it has none.
 * @param {number} tabId @returns {TabRecord} */
export function tabState(tabId) {
  if (!state.tabs.has(tabId)) state.tabs.set(tabId, { page: null, summary: null, messages: [] });
  return state.tabs.get(tabId);
}

/** Changes a tab's record (`tab`: the record a request kept, which may no longer be the tab's).
 * @param {TabRecord} tab @param {Partial<TabRecord>} patch */
export function tabUpdated(tab, patch) {
  Object.assign(tab, patch);
  changed("tab");
}

/** The tab navigated or closed: what belonged to its page is dropped. */
export function tabDropped(/** @type {number} */ tabId) {
  state.tabs.delete(tabId);
  changed("tab");
}

export function busyChanged(/** @type {RunningRequest | null} */ busy) {
  state.busy = busy;
  changed("busy");
}
