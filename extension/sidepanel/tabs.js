// @ts-check
// Which tab the panel serves, and following it: the active tab of the panel's window (or the
// one tab of ?tab=ID), its page read on demand, a new page in the tab dropping what belonged
// to the old one, and the requests the service worker leaves in storage.session.
// It imports no view: the views that draw a tab and take its requests (summary_view, chat_view) import this
// module, and sidepanel.js connects them here (connectViews), so imports go one way.

import { clearPassage, extractPage } from "./page_access.js";
import { state, tabDropped, tabShown, tabState, tabUpdated } from "./panel_state.js";
import { $, notice } from "./ui.js";
import { stopCurrent } from "./requests.js";

/** @type {{showSummaryOf: (tabId: number) => void, renderMessages: () => void,
 *          handleRequest: (request: object) => Promise<unknown>}} */
const views = {
  showSummaryOf: () => {},
  renderMessages: () => {},
  handleRequest: async () => null,
};

/** The views' parts tabs.js calls: set once by sidepanel.js before anything is shown. */
export function connectViews(connected) {
  Object.assign(views, connected);
}

const REQUEST_MAX_AGE_MS = 5 * 60 * 1000; // an older pendingRequest is stale: ignore it

export async function activeTab() {
  if (state.pinnedTabId != null) return chrome.tabs.get(state.pinnedTabId);
  const [tab] = await chrome.tabs.query({ active: true, windowId: state.windowId });
  return tab || null;
}

export function showPageTitle(tabId) {
  const page = state.tabs.get(tabId)?.page;
  $("page-title").textContent = page ? `Page: ${page.title || page.url}` : "Summarize the page in this tab, or ask about it.";
}

// Redraw everything that belongs to one tab: its page, summary and conversation.
export function showTab(tabId) {
  if (tabId !== state.tabId || !state.busy) notice(""); // a message about another page no longer applies
  tabShown(tabId);
  showPageTitle(tabId);
  views.showSummaryOf(tabId);
  views.renderMessages();
}

export async function readPage(tabId, url, kind) {
  const page = await extractPage(tabId, { url, wantSelection: kind === "selection" });
  const tab = tabState(tabId);
  if (kind !== "selection") tabUpdated(tab, { page });
  showPageTitle(tabId);
  return page;
}

/** A request left by the service worker (menu, shortcut, toolbar).
 * @typedef {{id: string, tabId: number, url: string, kind: "page" | "selection", source: string, at: number}} PendingRequest */
export async function consumePendingRequest() {
  const { pendingRequest } = await chrome.storage.session.get("pendingRequest");
  const request = /** @type {PendingRequest | undefined} */ (pendingRequest);
  if (!request || Date.now() - request.at > REQUEST_MAX_AGE_MS) return null;
  // A panel serves one window (or one pinned tab): leave other windows' requests alone.
  if (state.pinnedTabId != null && request.tabId !== state.pinnedTabId) return null;
  const tab = await chrome.tabs.get(request.tabId).catch(() => null);
  if (state.pinnedTabId == null && (!tab || tab.windowId !== state.windowId)) return null;
  await chrome.storage.session.remove("pendingRequest");
  // Asked for a page the tab has since left: that page is gone, nothing to summarize.
  if (!tab || (request.url && tab.url && tab.url !== request.url)) {
    notice("The page changed before its summary could start: ask again on this page.", "info");
    return null;
  }
  return views.handleRequest(request);
}

export function watchTabs() {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.pendingRequest?.newValue) consumePendingRequest();
  });
  chrome.tabs.onUpdated.addListener((tabId, change) => {
    // A new page in the tab: its old page text, summary and conversation no longer apply, and
    // a request running for the old page is stopped (its result would not be this page's).
    if (change.status !== "loading" || !state.tabs.has(tabId)) return;
    tabDropped(tabId);
    clearPassage(tabId);
    if (state.busy?.tabId === tabId) stopCurrent("The page changed: the request for the previous page was stopped.");
    if (tabId === state.tabId) showTab(tabId);
  });
  chrome.tabs.onRemoved.addListener((tabId) => tabDropped(tabId));
  if (state.pinnedTabId != null) return;
  chrome.tabs.onActivated.addListener(({ tabId, windowId }) => {
    if (windowId === state.windowId) showTab(tabId);
  });
}
