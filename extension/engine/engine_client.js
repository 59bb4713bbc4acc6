// @ts-check
// The side panel's handle on the engine worker: request/response by id, progress events, the worker's state
// events (./engine_state.js: what the engine does, which model it has loaded), and for generations a stream of
// token events routed to the request that asked.
//
//   const engine = new EngineClient({onProgress, onState});
//   await engine.boot();                          // status: versions, adapter (precis.adapter's description)
//   await engine.loadModel(source);               // "package" | "opfs:<name>"; the working model stays on failure
//   await engine.addModel(file);                  // a picked File, kept in OPFS only once it loaded; info.source
//   const {requestId, done} = engine.generate("summarize" | "chat", payload, {onToken, onProgress});
//   engine.cancel(requestId);                     // `done` then resolves at once, finish_reason "cancelled"
//   engine.cancelLoad();                          // loadModel / addModel asked before it reject "cancelled"
//   await engine.restart(message);                // a new worker (a stuck one is terminated): every pending
//                                                 // request rejects "cancelled" with `message`; resolves with boot's status
//   engine.epoch                                  // how many times the worker was replaced (what it held is gone)
// Failures reject with EngineError: .kind is one of precis.engine.ERROR_KINDS ("unsupported_model",
// "out_of_memory", "device_lost", "cancelled", "bad_input", "no_model", "internal"); .message is for the user.

/** The worker's state events (./engine_state.js), as the panel receives them.
 * @typedef {import("./engine_state.js").EngineStateEvent} EngineStateEvent
 * @typedef {import("./engine_state.js").ModelIdentity} ModelIdentity */

export class EngineError extends Error {
  constructor(message, kind) {
    super(message);
    this.kind = kind;
  }
}

export class EngineClient {
  /** workerUrl: the worker's module (default ./engine_worker.js; tests run extension/dev/'s, which adds requests).
   * onState: each transition of the worker's state machine (a replaced worker starts again from "off").
   * @param {{onProgress?: (message: {stage: string, fraction: number, message: string}) => void,
   *          onState?: (event: EngineStateEvent) => void, workerUrl?: URL}} [options] */
  constructor({ onProgress, onState, workerUrl } = {}) {
    this.workerUrl = workerUrl || new URL("./engine_worker.js", import.meta.url);
    this.pending = new Map();
    this.streams = new Map(); // requestId -> {onToken, onProgress}
    this.nextId = 1;
    this.epoch = 0;
    this.onProgress = onProgress || (() => {});
    this.onState = onState || (() => {});
    this.#startWorker();
  }

  #startWorker() {
    const worker = new Worker(this.workerUrl, { type: "module" });
    worker.onmessage = (event) => this.#receive(event.data);
    worker.onerror = (event) => {
      // A worker that fails to load (e.g. a missing vendor file) reports here, not by message.
      this.#rejectAll(new EngineError(event.message || "the engine worker failed to start", "internal"));
    };
    this.worker = worker;
  }

  #rejectAll(error) {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.streams.clear();
  }

  // The only way out of a worker stuck in a long synchronous stretch (it takes no message, not even
  // "cancel"): terminate it and start a new one. Pyodide boots again; the model reloads on the next load
  // or generation (both name their model). Stored models (OPFS) and settings are not the worker's.
  restart(message = "The engine was restarted.") {
    this.worker.onmessage = this.worker.onerror = null;
    this.worker.terminate();
    this.#rejectAll(new EngineError(message, "cancelled"));
    this.epoch += 1;
    this.#startWorker();
    return this.boot();
  }

  #receive(message) {
    if (message.type === "state") {
      this.onState(message);
      return;
    }
    if (message.type === "token") {
      this.streams.get(message.requestId)?.onToken?.(message.text);
      return;
    }
    if (message.type === "progress") {
      if (message.requestId !== undefined) this.streams.get(message.requestId)?.onProgress?.(message);
      else this.onProgress(message);
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.type === "error") waiter.reject(new EngineError(message.message, message.kind));
    else waiter.resolve(message.value);
  }

  request(type, payload = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...payload, id, type });
    });
  }

  boot() {
    return this.request("boot");
  }

  loadModel(source) {
    return this.request("load_model", { source });
  }

  addModel(file) {
    return this.request("add_model", { file });
  }

  ground(summary, text) {
    return this.request("ground", { summary, text });
  }

  /** A generation ("summarize" or "chat"): returns {requestId, done: Promise<result>}.
   * @param {string} type @param {object} payload
   * @param {{onToken?: (text: string) => void, onProgress?: (message: object) => void}} [callbacks] */
  generate(type, payload, { onToken, onProgress } = {}) {
    const requestId = `r${this.nextId++}`;
    this.streams.set(requestId, { onToken, onProgress });
    const done = this.request(type, { ...payload, requestId }).finally(() => this.streams.delete(requestId));
    return { requestId, done };
  }

  cancel(requestId) {
    return this.request("cancel", { requestId });
  }

  cancelLoad() {
    return this.request("cancel_load");
  }
}
