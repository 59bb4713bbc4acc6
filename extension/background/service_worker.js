// @ts-check
// Service worker: registers the context-menu items and the shortcut, opens the side panel
// on a user gesture, and hands each summarize request to the panel through storage.session.
// It holds no model state: the engine lives in a worker owned by the side panel.

export const MENU_ITEMS = [
  { id: "precis-summarize-page", title: "Summarize page", contexts: ["page", "frame", "link", "image"] },
  { id: "precis-summarize-selection", title: "Summarize selection", contexts: ["selection"] },
];
const MENU_KIND = {
  "precis-summarize-page": "page",
  "precis-summarize-selection": "selection",
};

function createMenuItem(item) {
  return new Promise((resolve, reject) => {
    chrome.contextMenus.create(item, () => {
      const error = chrome.runtime.lastError;
      if (error) reject(new Error(`menu ${item.id}: ${error.message}`));
      else resolve(item.id);
    });
  });
}

// Menus persist in the browser across service-worker restarts; we rebuild them on install and update.
async function registerMenus() {
  await chrome.contextMenus.removeAll();
  for (const item of MENU_ITEMS) await createMenuItem(item);
}

chrome.runtime.onInstalled.addListener(() => {
  registerMenus().catch((error) => console.error("Précis: could not register menus", error));
  // The toolbar button opens the panel from our own onClicked handler, not by panel behavior:
  // only a click Chrome dispatches to the extension grants activeTab, which the panel needs
  // to read the page (measured: with openPanelOnActionClick the grant never comes).
  chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: false }).catch(() => {});
});

chrome.action.onClicked.addListener((tab) => {
  if (tab?.id === undefined) return;
  chrome.sidePanel.open({ tabId: tab.id }).catch((error) => {
    console.warn("Précis: could not open the side panel", error);
  });
});

// A request names the tab and what to summarize; the panel picks it up (now, or when it
// finishes loading) from storage.session, so nothing is lost if the panel was closed.
async function requestSummary(tab, kind, source) {
  if (!tab || tab.id === undefined) return;
  // sidePanel.open must run synchronously inside the gesture's call stack: do it first.
  const opening = chrome.sidePanel.open({ tabId: tab.id }).catch((error) => {
    console.warn("Précis: could not open the side panel", error);
  });
  const request = { id: crypto.randomUUID(), kind, source, tabId: tab.id, url: tab.url || "", at: Date.now() };
  await chrome.storage.session.set({ pendingRequest: request });
  await opening;
}

function onMenuClicked(info, tab) {
  const kind = MENU_KIND[info.menuItemId];
  if (kind) requestSummary(tab, kind, "menu");
}
chrome.contextMenus.onClicked.addListener(onMenuClicked);

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "summarize-page") requestSummary(tab, "page", "shortcut");
});

// Our own pages (the panel, chrome-extension://<id>/...) may send requests; a content script,
// which runs inside a web page and can be steered by it, may not.
function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && typeof sender.url === "string"
    && sender.url.startsWith(chrome.runtime.getURL(""));
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.type === "precis:request") {
    if (!fromExtensionPage(sender)) {
      sendResponse({ error: "precis:request is only accepted from the extension's own pages" });
      return false;
    }
    // The same request the menu makes, for a tab named by id (the tests use it).
    chrome.tabs.get(message.tabId)
      .then((tab) => requestSummary(tab, message.kind === "selection" ? "selection" : "page", message.source || "message"))
      .then(() => sendResponse({ ok: true }), (error) => sendResponse({ error: String(error?.message || error) }));
    return true;
  }
  return false;
});
