// @ts-check
// What the panel knows, shared by its views: settings, the engine's status and model, which
// tab it serves, each tab's page, summary and conversation, and the running request.

import { DEFAULTS } from "./settings.js";

export const state = {
  settings: { ...DEFAULTS },
  status: null,          // the engine's boot status
  model: null,           // info of the loaded model (with the source and device it was loaded for)
  windowId: null,
  pinnedTabId: null,     // ?tab=ID: the panel serves that tab only (panel opened as a page)
  tabId: null,           // the tab shown now
  tabs: new Map(),       // tabId -> {page, summary, messages: [{role, content, stats}]}
  busy: null,            // the running request (requests.js)
};

// A tab's record; a new one when the tab navigates (tabs.js drops the old one), so a request
// that kept the old record can tell its page is gone.
export function tabState(tabId) {
  if (!state.tabs.has(tabId)) state.tabs.set(tabId, { page: null, summary: null, messages: [] });
  return state.tabs.get(tabId);
}
