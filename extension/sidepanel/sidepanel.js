// @ts-check
// Side panel: the UI users see. It starts the engine, reads the page of the tab it serves,
// asks the engine for summaries and chat answers, streams them in, and shows where each key
// point comes from in the page. This module only starts things; each job has its own module:
//   panel_state.js   the store: everything the panel knows, changed by its actions, watched by the views
//   engine.js        the engine client; the worker's state events go into the store
//   requests.js      the running request (one at a time, Stop, errors shown by kind)
//   summary_view.js  summary requests and the grounded summary
//   chat_view.js     questions and answers about the page
//   model_picker.js  loading the model, choosing or adding one
//   settings_view.js style, length, temperature, device
//   tabs.js          which tab the panel serves, new pages, requests from the service worker
//   engine_status.js the engine's facts, the device, the stats line
//
// Every summary goes one path: the context menu, the shortcut and the toolbar button store a
// `pendingRequest` in storage.session (service worker); the panel's own button builds the same
// request; both end in summary_view.handleRequest().

import { renderMessages, wireChat } from "./chat_view.js";
import { engine } from "./engine.js";
import { watchEngine } from "./engine_status.js";
import { fillModelChoices, wireModelPicker } from "./model_picker.js";
import { usePageContract } from "./page_access.js";
import { engineBooted, engineFailed, placePanel, settingsLoaded, state, subscribe } from "./panel_state.js";
import { stopCurrent } from "./requests.js";
import { loadSettings } from "./settings.js";
import { showSettings, wireSettings } from "./settings_view.js";
import { handleRequest, showSummaryOf } from "./summary_view.js";
import { activeTab, connectViews, consumePendingRequest, showTab, watchTabs } from "./tabs.js";
import { $ } from "./ui.js";

function wireControls() {
  wireSettings();
  wireModelPicker();
  wireChat();
  $("summarize").addEventListener("click", async () => {
    const tab = await activeTab();
    handleRequest({ tabId: tab?.id ?? null, url: tab?.url || "", kind: "page", source: "panel" });
  });
  $("stop").addEventListener("click", () => stopCurrent());
  subscribe((change) => {   // Stop shows while a request runs; the page's style follows its kind
    if (change !== "busy") return;
    $("stop").hidden = !state.busy;
    document.body.dataset.busy = state.busy ? state.busy.kind : "";
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.busy) {
      e.preventDefault();
      stopCurrent();
    }
  });
}

async function start() {
  const booting = engine.boot(); // Pyodide starts while the panel wires itself
  watchEngine();
  const pinned = new URLSearchParams(location.search).get("tab");
  placePanel((await chrome.windows.getCurrent()).id, pinned ? Number(pinned) : null);
  settingsLoaded(await loadSettings());
  showSettings();
  connectViews({ showSummaryOf, renderMessages, handleRequest });
  wireControls();
  const tab = await activeTab();
  if (tab) showTab(tab.id);
  await fillModelChoices(); // after showTab, which clears the notice: a vanished model's notice stays
  watchTabs();
  let status;
  try {
    status = await booting;
  } catch (error) {
    usePageContract(null);
    engineFailed(error);
    return;
  }
  usePageContract(status.contract);   // extract.js's limits: pages are read from now on
  settingsLoaded(await loadSettings(status.contract));   // checked against Python's valid values now
  showSettings();
  engineBooted(status); // the pill leaves "loading" only now: the panel is wired and the engine up
  consumePendingRequest();
}

start();
