// The side panel's handle on the engine worker: request/response by id, progress events.

export class EngineClient {
  constructor({ onProgress } = {}) {
    this.worker = new Worker(new URL("./engine_worker.js", import.meta.url), { type: "module" });
    this.pending = new Map();
    this.nextId = 1;
    this.onProgress = onProgress || (() => {});
    this.worker.onmessage = (event) => this.#receive(event.data);
    this.worker.onerror = (event) => {
      // A worker that fails to load (e.g. a missing vendor file) reports here, not by message.
      const error = new Error(event.message || "the engine worker failed to start");
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
  }

  #receive(message) {
    if (message.type === "progress") {
      this.onProgress(message);
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.type === "error") waiter.reject(new Error(message.message));
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
}
