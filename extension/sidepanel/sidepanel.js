// Side panel: the UI users see. It starts the engine, reads the page of the tab it serves,
// asks the engine for summaries and chat answers, streams them in, and shows where each key
// point comes from in the page.
//
// One path for every summary: the context menu, the shortcut and the toolbar button store a
// `pendingRequest` in storage.session (service worker); the panel's own button builds the
// same request; both go through handleRequest().
// Two requests at once: the newer one wins. The running one is stopped first and the panel
// says so; chat questions wait (Send is disabled) until the running answer ends or is stopped.
// Everything from the page or the model is written with textContent or sanitized markdown.

import { EngineClient } from "../engine/engine_client.js";
import { removeStoredModel, storeModelFile, OPFS_DIR } from "../engine/model_source.js";
import { clearPassage, extractPage, PageAccessError, showPassage } from "./page_access.js";
import { renderMarkdown, streamingRenderer } from "./render.js";
import { DEFAULTS, loadSettings, saveSetting } from "./settings.js";

const $ = (id) => document.getElementById(id);
const REQUEST_MAX_AGE_MS = 5 * 60 * 1000; // an older pendingRequest is stale: ignore it

const state = {
  settings: { ...DEFAULTS },
  status: null,          // engine boot status
  model: null,           // info of the loaded model
  windowId: null,
  pinnedTabId: null,     // ?tab=ID: the panel serves that tab only (panel opened as a page)
  tabId: null,           // the tab shown now
  tabs: new Map(),       // tabId -> {page, summary, messages: [{role, content, stats}]}
  busy: null,            // {requestId, kind, tabId, done}
  lastResult: null,
  lastRequest: null,     // promise of the latest summary request (tests and the CLI wait on it)
  streamed: "",          // the answer streamed so far (raw markdown) of the running generation
  chatMaxTokens: null,   // cap on a chat answer's length (tests on slow adapters); null: the engine's default
};

function tabState(tabId) {
  if (!state.tabs.has(tabId)) state.tabs.set(tabId, { page: null, summary: null, messages: [] });
  return state.tabs.get(tabId);
}

// ---- engine status (boot) ----------------------------------------------------------------------

function setState(stateName, label) {
  const pill = $("engine-state");
  pill.dataset.state = stateName;
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

function engineFacts() {
  const status = state.status;
  const adapter = status.adapter;
  const facts = [
    ["Précis", status.precisVersion],
    ["Python", `${status.pythonVersion} (Pyodide ${status.pyodideVersion})`],
    ["GPU", adapter.available ? adapter.name : adapter.reason],
    ["Started in", `${(status.bootMs / 1000).toFixed(1)} s`],
  ];
  if (state.model) {
    facts.push(["Model", `${state.model.title} (${state.model.architecture}, context ${state.model.context})`]);
    facts.push(["GPU executor", state.model.executor?.available ? "ready" : state.model.executor?.reason || "not loaded"]);
  }
  fillList($("engine-facts"), facts);
}

function showStatus(status) {
  state.status = status;
  const adapter = status.adapter;
  engineFacts();
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
  if (!adapter.available) notice(noGpuMessage(), "error");
}

// Without a WebGPU adapter no answer can come: requests say so at once instead of loading the model.
function noGpuMessage() {
  const adapter = state.status?.adapter;
  if (!adapter || adapter.available) return null;
  return `WebGPU is not available here: ${adapter.reason} Précis needs a GPU to run the model.`;
}

function showFailure(error) {
  $("loading").hidden = true;
  $("failure").hidden = false;
  $("failure-message").textContent = error.message;
  setState("error", "Error");
}

const engine = new EngineClient({
  onProgress: ({ stage, fraction, message }) => {
    if (stage === "model" || stage === "pipelines") {
      // Shown while a request waits for the model; a load that goes on after Stop stays quiet.
      if (state.busy && fraction < 1) taskProgress(fraction, message);
      else if (fraction >= 1) taskDone();
      return;
    }
    $("boot-progress").value = fraction;
    $("boot-message").textContent = message;
  },
});

// ---- small UI helpers --------------------------------------------------------------------------

function notice(message, kind = "info") {
  const box = $("notice");
  box.hidden = !message;
  box.dataset.kind = kind;
  box.textContent = message || "";
}

function taskProgress(fraction, message) {
  $("task").hidden = false;
  $("task-progress").value = fraction;
  $("task-message").textContent = message;
}

function taskDone() {
  $("task").hidden = true;
}

function setBusy(busy) {
  state.busy = busy;
  $("stop").hidden = !busy;
  $("send").disabled = Boolean(busy);
  $("regenerate").disabled = Boolean(busy) || !lastAssistant();
  $("copy").disabled = !lastAssistant() && !(state.tabId != null && state.tabs.get(state.tabId)?.summary);
  document.body.dataset.busy = busy ? busy.kind : "";
}

function showStats(stats, modelName) {
  const parts = [];
  if (stats?.ttft_s != null) parts.push(`First token ${stats.ttft_s.toFixed(2)} s`);
  if (stats?.tokens_per_s != null) parts.push(`${stats.tokens_per_s.toFixed(1)} tokens/s`);
  if (modelName) parts.push(modelName);
  const adapter = state.status?.adapter;
  if (adapter?.available) parts.push(adapter.name);
  $("stats").textContent = parts.join(" · ");
}

function lastAssistant() {
  if (state.tabId == null) return null;
  const messages = tabState(state.tabId).messages;
  return [...messages].reverse().find((m) => m.role === "assistant") || null;
}

// ---- which tab the panel serves ------------------------------------------------------------------

async function activeTab() {
  if (state.pinnedTabId != null) return chrome.tabs.get(state.pinnedTabId);
  const [tab] = await chrome.tabs.query({ active: true, windowId: state.windowId });
  return tab || null;
}

function showPageTitle(tabId) {
  const page = state.tabs.get(tabId)?.page;
  $("page-title").textContent = page ? `Page: ${page.title || page.url}` : "Summarize the page in this tab, or ask about it.";
}

// Redraw everything that belongs to one tab: its page, summary and conversation.
function showTab(tabId) {
  if (tabId !== state.tabId || !state.busy) notice(""); // a message about another page no longer applies
  state.tabId = tabId;
  const tab = tabState(tabId);
  showPageTitle(tabId);
  if (tab.summary) presentSummary(tab.summary, tab.page, tabId);
  else $("summary").hidden = true;
  renderMessages();
  showStats(tab.summary?.stats, state.model?.title);
  setBusy(state.busy);
}

// ---- summaries -------------------------------------------------------------------------------------

async function ensureModel() {
  const source = state.settings.model;
  if (state.model?.source === source) return state.model;
  try {
    state.model = await engine.loadModel(source);
  } finally {
    taskDone();
  }
  engineFacts();
  if (!state.model.executor?.available) {
    notice(`Model ready, but text generation is not available: ${state.model.executor?.reason}.`, "error");
  }
  return state.model;
}

async function readPage(tabId, url, kind) {
  const page = await extractPage(tabId, { url, wantSelection: kind === "selection" });
  const tab = tabState(tabId);
  if (kind !== "selection") tab.page = page;
  showPageTitle(tabId);
  return page;
}

// ---- the running request: at most one ------------------------------------------------------------

class Stopped extends Error {
  constructor() {
    super("Stopped.");
  }
}

function beginRequest(kind, tabId) {
  let finish, stop;
  const busy = {
    requestId: `pending-${Date.now()}`, kind, tabId, stopped: false,
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

// Wait for a step of the request (reading the page, loading the model) unless Stop comes
// first: then the request ends now (a model load goes on in the engine, for the next one).
async function unlessStopped(promise) {
  const busy = state.busy;
  const value = await Promise.race([promise, busy.stopSignal]);
  if (busy.stopped) throw new Stopped();
  return value;
}

// Stop the running request (if any) and wait until the engine has let go of it.
async function stopCurrent(reason) {
  const running = state.busy;
  if (!running) return;
  // Before the generation has an id the flag stops it as soon as it starts; after, the
  // engine stops it at its next token (or prefill slice).
  running.stop();
  await engine.cancel(running.requestId).catch(() => {});
  await running.done.catch(() => {});
  if (reason) notice(reason, "info");
}

// The one path every summary request takes: {tabId, url, kind: "page"|"selection", source}.
async function handleRequest(request) {
  if (state.busy) await stopCurrent("The previous request was stopped: a newer one came in.");
  else notice("");
  const tabId = request.tabId ?? state.tabId;
  if (noGpuMessage()) {
    notice(noGpuMessage(), "error");
    return null;
  }
  if (tabId == null) {
    notice("Open a web page in this window, then summarize it.", "error");
    return null;
  }
  if (tabId !== state.tabId) showTab(tabId);
  const busy = beginRequest("summary", tabId);
  try {
    taskProgress(0, request.kind === "selection" ? "Reading the selection…" : "Reading the page…");
    const page = await unlessStopped(readPage(tabId, request.url, request.kind));
    await unlessStopped(ensureModel());
    return await summarize(tabId, page, request);
  } catch (error) {
    showError(error);
    return null;
  } finally {
    endRequest(busy);
  }
}

// The running request now has an engine id; a Stop that came earlier applies to it now.
function startedGeneration(generation) {
  state.busy.requestId = generation.requestId;
  if (state.busy.stopped) engine.cancel(generation.requestId).catch(() => {});
}

function showError(error) {
  if (error instanceof Stopped) notice("Stopped.", "info");
  else if (error instanceof PageAccessError) notice(error.message, error.kind === "empty" ? "info" : "error");
  else notice(error.message || String(error), "error");
}

async function summarize(tabId, page, request) {
  const style = state.settings.style;
  const length = state.settings.length;
  $("summary").hidden = false;
  $("sources").hidden = true;
  $("summary-body").hidden = false;
  const stream = streamingRenderer($("summary-body"));
  stream.finish("");
  taskProgress(0, "Reading the page into the model…");
  state.streamed = "";
  const generation = engine.generate("summarize", {
    source: state.settings.model, page, style, length, temperature: state.settings.temperature,
  }, {
    onToken: (text) => { taskDone(); stream.append(text); state.streamed += text; },
    onProgress: ({ stage, done, total }) => taskProgress(total ? done / total : 0,
      stage === "map" ? `Long page: reading part ${Math.min(done + 1, total)} of ${total}…` : "Combining the parts…"),
  });
  startedGeneration(generation);
  let result;
  try {
    result = await generation.done;
  } catch (error) {
    if (!stream.text) $("summary").hidden = true; // nothing to show: the notice says why
    throw error;
  }
  stream.finish(result.text);
  const summary = { ...result, style, kind: request.kind };
  tabState(tabId).summary = summary;
  state.lastResult = summary;
  if (state.tabId === tabId) presentSummary(summary, page, tabId);
  showStats(result.stats, result.model);
  if (result.stats.finish_reason === "cancelled") notice("Stopped.", "info");
  return summary;
}

// A finished summary with its grounding: each point links to its passage in the page, and a
// point the page does not support is flagged.
function presentSummary(summary, page, tabId) {
  $("summary").hidden = false;
  renderMarkdown($("summary-body"), summary.text);
  const list = $("grounding");
  list.replaceChildren();
  const points = summary.grounding?.points || [];
  $("sources").hidden = points.length === 0;
  const keyPoints = summary.style === "key-points" && points.length > 0;
  // Key points are shown once, as the grounded list; other styles keep their text and list sources.
  $("summary-body").hidden = keyPoints;
  $("sources-title").textContent = keyPoints ? "Key points" : "Where the page says it";
  points.forEach((point, i) => {
    const li = document.createElement("li");
    li.className = point.supported ? "supported" : "unsupported";
    const text = document.createElement("span");
    text.className = "point";
    text.textContent = point.point;
    li.append(text, " ");
    if (point.supported) {
      const passage = summary.grounding.passages[String(point.passage)];
      const button = document.createElement("button");
      button.type = "button";
      button.className = "source";
      button.textContent = "Show in page";
      button.setAttribute("aria-label", `Show point ${i + 1} in the page`);
      button.title = passage.text;
      button.addEventListener("click", () => goToPassage(tabId, passage.text, button));
      li.append(button);
    } else {
      const flag = document.createElement("span");
      flag.className = "flag";
      flag.textContent = "Not found in the page";
      flag.title = "No passage of the page supports this point: check it before relying on it.";
      li.append(flag);
    }
    list.append(li);
  });
}

async function goToPassage(tabId, text, button) {
  try {
    const result = await showPassage(tabId, text);
    if (!result.found) notice("That passage is no longer on the page (it may have changed).", "info");
    button.dataset.shown = result.found ? "yes" : "no";
    return result;
  } catch (error) {
    showError(error);
    return { found: false };
  }
}

// ---- chat --------------------------------------------------------------------------------------------

function renderMessages() {
  const box = $("messages");
  box.replaceChildren();
  if (state.tabId == null) return;
  for (const message of tabState(state.tabId).messages) {
    const div = document.createElement("div");
    div.className = `message ${message.role}`;
    if (message.role === "assistant") renderMarkdown(div, message.content);
    else div.textContent = message.content;
    box.append(div);
  }
}

async function ask(question, { regenerate = false } = {}) {
  if (state.busy) return null; // Send is disabled while an answer runs; Esc or Stop ends it
  const tabId = state.tabId;
  if (tabId == null) return null;
  if (noGpuMessage()) {
    notice(noGpuMessage(), "error");
    return null;
  }
  const tab = tabState(tabId);
  notice("");
  if (!regenerate) tab.messages.push({ role: "user", content: question });
  renderMessages();
  const busy = beginRequest("chat", tabId);
  try {
    if (!tab.page) {
      const current = await activeTab();
      taskProgress(0, "Reading the page…");
      await unlessStopped(readPage(tabId, current?.url, "page"));
    }
    await unlessStopped(ensureModel());
    const bubble = document.createElement("div");
    bubble.className = "message assistant streaming";
    $("messages").append(bubble);
    const stream = streamingRenderer(bubble);
    taskProgress(0, "Reading your question into the model…");
    state.streamed = "";
    const conversation = tab.messages.map(({ role, content }) => ({ role, content }));
    const generation = engine.generate("chat", {
      source: state.settings.model, messages: conversation, page: tab.page, temperature: state.settings.temperature,
      max_tokens: state.chatMaxTokens,
    }, { onToken: (text) => { taskDone(); stream.append(text); state.streamed += text; } });
    startedGeneration(generation);
    const result = await generation.done;
    stream.finish(result.text);
    tab.messages.push({ role: "assistant", content: result.text, stats: result.stats });
    state.lastResult = result;
    showStats(result.stats, result.model);
    if (result.stats.finish_reason === "cancelled") notice("Stopped.", "info");
    return result;
  } catch (error) {
    showError(error);
    return null;
  } finally {
    endRequest(busy);
    if (state.tabId === tabId) renderMessages();
  }
}

async function regenerate() {
  const tab = tabState(state.tabId);
  const last = tab.messages[tab.messages.length - 1];
  if (!last || last.role !== "assistant" || state.busy) return;
  tab.messages.pop();
  await ask(null, { regenerate: true });
}

async function copyLast() {
  const text = lastAssistant()?.content ?? tabState(state.tabId).summary?.text ?? "";
  try {
    await navigator.clipboard.writeText(text);
    notice("Copied.", "info");
  } catch {
    notice("Could not copy (the clipboard needs the panel to be focused).", "error");
  }
}

function newChat() {
  if (state.tabId == null) return;
  tabState(state.tabId).messages = [];
  renderMessages();
  setBusy(state.busy);
  $("question").focus();
}

// ---- settings and model picker ---------------------------------------------------------------------

async function listStoredModels() {
  try {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(OPFS_DIR, { create: true });
    const names = [];
    for await (const [name, handle] of dir.entries()) if (handle.kind === "file") names.push(name);
    return names.sort();
  } catch {
    return [];
  }
}

async function fillModelChoices() {
  const select = $("model-source");
  const builtIn = select.querySelector('option[value="package"]');
  select.replaceChildren(builtIn);
  for (const name of await listStoredModels()) {
    const option = document.createElement("option");
    option.value = `opfs:${name}`;
    option.textContent = `${name} (your file)`;
    select.append(option);
  }
  select.value = state.settings.model;
  if (select.value !== state.settings.model) select.value = "package";
}

function applySettings() {
  $("style").value = state.settings.style;
  $("length").value = state.settings.length;
  $("temperature").value = String(state.settings.temperature);
  $("temperature-value").textContent = String(state.settings.temperature);
}

async function setSetting(key, value) {
  state.settings[key] = value;
  await saveSetting(key, value);
}

async function pickModelFile(file) {
  const message = $("model-message");
  const bar = $("model-progress");
  bar.hidden = false;
  bar.value = 0;
  message.textContent = `Storing ${file.name}…`;
  let source;
  try {
    if (!/\.gguf$/i.test(file.name)) throw new Error(`"${file.name}" is not a .gguf file`);
    source = await storeModelFile(file, (fraction) => { bar.value = fraction; });
    message.textContent = `Checking ${file.name}…`;
    const info = await engine.loadModel(source);
    state.model = info;
    await setSetting("model", source);
    await fillModelChoices();
    engineFacts();
    message.textContent = `Using ${info.title} (${info.architecture}).`;
    return info;
  } catch (error) {
    if (source) await removeStoredModel(source);
    message.textContent = error.message;
    message.dataset.kind = "error";
    notice(error.message, "error");
    await fillModelChoices();
    return null;
  } finally {
    bar.hidden = true;
    taskDone();
    $("model-file").value = "";
  }
}

function wireControls() {
  $("style").addEventListener("change", (e) => setSetting("style", e.target.value));
  $("length").addEventListener("change", (e) => setSetting("length", e.target.value));
  $("temperature").addEventListener("input", (e) => {
    $("temperature-value").textContent = e.target.value;
  });
  $("temperature").addEventListener("change", (e) => setSetting("temperature", Number(e.target.value)));
  $("model-source").addEventListener("change", async (e) => {
    await setSetting("model", e.target.value);
    state.model = null;
  });
  $("model-file").addEventListener("change", (e) => {
    const file = e.target.files?.[0];
    if (file) pickModelFile(file);
  });
  $("summarize").addEventListener("click", async () => {
    const tab = await activeTab();
    state.lastRequest = handleRequest({ tabId: tab?.id ?? null, url: tab?.url || "", kind: "page", source: "panel" });
  });
  $("stop").addEventListener("click", () => stopCurrent());
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const question = $("question").value.trim();
    if (!question || state.busy) return;
    $("question").value = "";
    ask(question);
  });
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("chat-form").requestSubmit();
    }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.busy) {
      e.preventDefault();
      stopCurrent();
    }
  });
  $("regenerate").addEventListener("click", regenerate);
  $("copy").addEventListener("click", copyLast);
  $("new-chat").addEventListener("click", newChat);
}

// ---- requests from the menu, the shortcut and the toolbar -------------------------------------------

async function consumePendingRequest() {
  const { pendingRequest: request } = await chrome.storage.session.get("pendingRequest");
  if (!request || Date.now() - request.at > REQUEST_MAX_AGE_MS) return null;
  // A panel serves one window (or one pinned tab): leave other windows' requests alone.
  if (state.pinnedTabId != null && request.tabId !== state.pinnedTabId) return null;
  if (state.pinnedTabId == null) {
    const tab = await chrome.tabs.get(request.tabId).catch(() => null);
    if (!tab || tab.windowId !== state.windowId) return null;
  }
  await chrome.storage.session.remove("pendingRequest");
  state.lastRequest = handleRequest(request);
  return state.lastRequest;
}

function watchTabs() {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.pendingRequest?.newValue) consumePendingRequest();
  });
  if (state.pinnedTabId != null) return;
  chrome.tabs.onActivated.addListener(({ tabId, windowId }) => {
    if (windowId === state.windowId) showTab(tabId);
  });
  chrome.tabs.onUpdated.addListener((tabId, change) => {
    // A new page in the tab: its old page text and conversation no longer apply.
    if (change.status === "loading" && state.tabs.has(tabId)) {
      state.tabs.delete(tabId);
      clearPassage(tabId);
      if (tabId === state.tabId) showTab(tabId);
    }
  });
  chrome.tabs.onRemoved.addListener((tabId) => state.tabs.delete(tabId));
}

// ---- start -----------------------------------------------------------------------------------------

async function start() {
  const pinned = new URLSearchParams(location.search).get("tab");
  state.pinnedTabId = pinned ? Number(pinned) : null;
  state.windowId = (await chrome.windows.getCurrent()).id;
  state.settings = await loadSettings();
  applySettings();
  wireControls();
  await fillModelChoices();
  const tab = await activeTab();
  if (tab) showTab(tab.id);
  watchTabs();
}

// Tests and the CLI read the engine's status and the panel's state from here.
window.precisEngine = engine;
window.precisStatus = engine.boot().then(
  (status) => { showStatus(status); return status; },
  (error) => { showFailure(error); throw error; },
);
window.precisPanel = {
  state,
  // Resolves once the panel is wired and the engine booted; a pending request then starts
  // (its promise is state.lastRequest).
  ready: start().then(() => window.precisStatus).then(() => {
    consumePendingRequest();
    return true;
  }),
  handleRequest,
  readPage,
  ask,
  presentSummary,
  goToPassage,
  activeTab,
};
