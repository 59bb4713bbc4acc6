// @ts-check
// Test and CLI hook for the side panel: never part of the store zip (precis pack ships only
// extension/, kernels/, vendor/). extension_driver injects it into the panel page
// (import(chrome.runtime.getURL("build/precis_build/panel_probe.js"))); it imports the panel's
// own modules, which are the same instances the panel runs, and exposes on window:
//   precisPanel  {state, ready, handleRequest, readPage, ask, presentSummary, goToPassage, activeTab}
//                where state is the panel's state plus what the probe records itself:
//                lastRequest (promise of the latest summary request's result), lastResult (the
//                latest summary or answer), streamed (text streamed by the running generation),
//                chatMaxTokens (caps chat answers it forwards: slow adapters in tests)
//   precisEngine the panel's EngineClient
//   precisStatus the engine's boot status (a promise)
//   precisPanel.useDevEngine()  replaces the panel's worker with the dev one (extension/dev/engine_worker_dev.js:
//                the product worker plus the tests' requests, e.g. lose_device_for_test); call it before a model
//                is loaded (what the old worker held is gone). Resolves with the new worker's boot status.

const module = (name) => import(chrome.runtime.getURL(`extension/sidepanel/${name}`));

const [{ state }, { requestEvents }, { engine }, summary, tabs, chat] = await Promise.all(
  ["panel_state.js", "requests.js", "engine.js", "summary_view.js", "tabs.js", "chat_view.js"].map(module));

const recorded = { lastRequest: null, lastResult: null, streamed: "", chatMaxTokens: null };
let running = null;   // the request seen beginning
let settle = null;    // resolves its lastRequest promise

requestEvents.addEventListener("busy", () => {
  if (!state.busy || state.busy === running) return;
  running = state.busy;
  recorded.streamed = "";
  if (running.kind === "summary") recorded.lastRequest = new Promise((resolve) => { settle = resolve; });
});
requestEvents.addEventListener("settled", ({ detail }) => {
  if (detail.result) recorded.lastResult = detail.result;
  if (detail.kind === "summary" && settle) {
    settle(detail.result);
    settle = null;
  }
});

// Streamed text, and the chat cap, through the client's public generate().
const generate = engine.generate.bind(engine);
engine.generate = (type, payload, callbacks = {}) => generate(
  type,
  type === "chat" && recorded.chatMaxTokens ? { ...payload, max_tokens: recorded.chatMaxTokens } : payload,
  { ...callbacks, onToken: (text) => { recorded.streamed += text; callbacks.onToken?.(text); } });

// Ready once the panel has wired itself and the engine booted (the pill leaves "loading"),
// or failed (the failure section shows why).
const ready = new Promise((resolve, reject) => {
  const check = () => {
    const failure = document.getElementById("failure");
    const pill = document.getElementById("engine-state");
    if (!failure || !pill) return false; // injected before the page's body was parsed
    if (!failure.hidden) {
      reject(new Error(document.getElementById("failure-message").textContent));
      return true;
    }
    if (pill.dataset.state !== "loading") {
      resolve(true);
      return true;
    }
    return false;
  };
  if (check()) return;
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { attributes: true, childList: true, subtree: true });
});

window.precisPanel = {
  state: new Proxy(state, {
    get: (target, key) => (key in recorded ? recorded[key] : target[key]),
    set: (target, key, value) => {
      if (key in recorded) recorded[key] = value;
      else target[key] = value;
      return true;
    },
  }),
  ready,
  handleRequest: summary.handleRequest,
  presentSummary: summary.presentSummary,
  goToPassage: summary.goToPassage,
  readPage: tabs.readPage,
  activeTab: tabs.activeTab,
  ask: chat.ask,
  useDevEngine: () => {
    engine.workerUrl = new URL(chrome.runtime.getURL("extension/dev/engine_worker_dev.js"));
    window.precisStatus = engine.restart("The tests' engine replaced the panel's.");
    return window.precisStatus;
  },
};
window.precisEngine = engine;
window.precisStatus = engine.boot();
export {};   // a module (it awaits at its top level)
