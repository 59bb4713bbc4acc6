// @ts-check
// The engine worker's state, in one place: what the engine is doing (an explicit state machine), which model it
// has loaded, which generation owns it, and the two rules that decide who runs: one thing at a time (loads and
// generations queue) and the newest generation wins. Cancel lives here too. Every transition is posted to the
// panel as an EngineStateEvent; the panel only sends requests and cancels and renders these events, and Python
// sees a cancel only through the device link's answer (engine_worker.js: DeviceLink.step/poll -> `cancelled`).
//
//   off --> booting --> idle <--> loading        (a load: load_model, add_model, or the one a generation needs)
//              |   ^      ^-----> generating     (a generation's turn, once its model is loaded)
//              v   |
//              failed                            (a failed boot: the next request boots again)
// A transition not in TRANSITIONS throws: two things touching the engine at once is a bug, not a state.

/** @typedef {"off" | "booting" | "idle" | "loading" | "generating" | "failed"} EngineStateName */

/** The loaded model as the panel knows it: the source it was loaded from ("package" | "opfs:<name>"), the device
 * setting it was loaded for ("auto" | "gpu" | "cpu"), Python's description (precis.engine.Model.info) and the
 * device that runs it (its describe(), with why it runs there when "auto" fell back to the CPU).
 * @typedef {{source: string, setting: string, name: string, title: string, architecture: string, context: number,
 *            device: {kind: string, name?: string, threads?: number, reason?: string, fallback?: boolean}}} ModelIdentity */

/** Posted on every transition: {type: "state", state, model, requestId}. requestId: the generation that owns the
 * engine while "generating", else null. model: the loaded model, null before the first load.
 * @typedef {{type: "state", state: EngineStateName, model: ModelIdentity | null, requestId: string | null}} EngineStateEvent */

/** The worker's record of the loaded model: what the panel sees (identity), the device slot it never sees, and
 * the load's full answer (info: Python's model info with the budget, the device and the load's time).
 * @typedef {{identity: ModelIdentity, slot: {device: any, spec: any, source: string}, info: any}} LoadedModel */

/** What a generation answers, once: {value} (its result, or what streamed before a cancel) or {error}.
 * @typedef {{value?: any, error?: any}} Outcome */

/** @typedef {{requestId: string, cancelled: boolean, streamed: string, settled: boolean,
 *             settle: (outcome: Outcome) => void}} Generation */

/** @type {Readonly<Record<EngineStateName, readonly EngineStateName[]>>} */
export const TRANSITIONS = Object.freeze({
  off: ["booting"],
  booting: ["idle", "failed"],
  failed: ["booting"],
  idle: ["loading", "generating"],
  loading: ["idle"],
  generating: ["idle"],
});

/** A generation's answer once it was cancelled: what it streamed so far. */
function cancelledResult(request) {
  return { text: request.streamed, stats: { finish_reason: "cancelled" }, cancelled: true };
}

export class EngineState {
  /** @param {(message: object) => void} post  the worker's channel to the panel (postMessage) */
  constructor(post) {
    this.post = post;
    /** @type {EngineStateName} */
    this.state = "off";
    /** @type {LoadedModel | null} */
    this.model = null;
    /** @type {Generation | null} the generation whose turn it is (loading its model, then generating) */
    this.current = null;
    /** @type {Generation | null} the newest generation waiting for its turn */
    this.waiting = null;
    /** @type {Promise<any> | null} the one boot in flight or done: concurrent requests share it */
    this.booted = null;
    this.loadsAbort = new AbortController();
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
  }

  /** @param {EngineStateName} next */
  to(next) {
    if (!TRANSITIONS[this.state].includes(next)) {
      throw new Error(`engine state: no transition from ${this.state} to ${next}`);
    }
    this.state = next;
    this.post(this.event());
  }

  /** @returns {EngineStateEvent} */
  event() {
    return { type: "state", state: this.state, model: this.model?.identity ?? null,
             requestId: this.state === "generating" ? this.current?.requestId ?? null : null };
  }

  // ---- boot, loads: one thing at a time ----------------------------------------------------------------

  /** Runs boot() once (booting -> idle); a failed boot (-> failed) is tried again by the next request.
   * @template T @param {() => Promise<T>} boot @returns {Promise<T>} */
  ensureBooted(boot) {
    this.booted ??= (async () => {
      this.to("booting");
      try {
        const status = await boot();
        this.to("idle");
        return status;
      } catch (error) {
        this.booted = null;
        this.to("failed");
        throw error;
      }
    })();
    return this.booted;
  }

  /** Loads and generations run one after another, in the order asked.
   * @template T @param {() => Promise<T>} task @returns {Promise<T>} */
  serialized(task) {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** A load (idle -> loading -> idle, the new model in the event once committed). Nested: an add_model's own
   * load stays within the one "loading".
   * @template T @param {() => Promise<T>} task @returns {Promise<T>} */
  async loading(task) {
    if (this.state === "loading") return task();
    this.to("loading");
    try {
      return await task();
    } finally {
      this.to("idle");
    }
  }

  /** The load's signal, current when it was asked for: cancelLoads() aborts it. */
  get loadSignal() {
    return this.loadsAbort.signal;
  }

  /** Stops the loads asked for before now (each ends with `reason` at its next step); later ones run. */
  cancelLoads(reason) {
    this.loadsAbort.abort(reason);
    this.loadsAbort = new AbortController();
    return true;
  }

  // ---- generations: the newest wins --------------------------------------------------------------------

  /** A generation: the running one and any still waiting end "cancelled", answered now; this one waits its
   * turn, then load() makes sure its model is loaded and run() does the engine's work. reply() is called once:
   * with the engine's answer, or at once on cancel (what streamed so far).
   * @param {string} requestId @param {(outcome: Outcome) => void} reply
   * @param {{load: () => Promise<unknown>, run: () => Promise<any>}} work */
  generate(requestId, reply, { load, run }) {
    /** @type {Generation} */
    const request = { requestId, cancelled: false, streamed: "", settled: false, settle: () => {} };
    request.settle = (outcome) => {
      if (request.settled) return;
      request.settled = true;
      reply(outcome);
    };
    for (const older of [this.current, this.waiting]) if (older) this.#cancel(older);
    this.waiting = request;
    this.serialized(async () => {
      if (this.waiting === request) this.waiting = null;
      if (request.settled) return;
      this.current = request;
      try {
        await load();
        if (request.cancelled) {
          request.settle({ value: cancelledResult(request) });
          return;
        }
        this.to("generating");
        try {
          const value = await run();
          if (request.cancelled) value.stats = { ...value.stats, finish_reason: "cancelled" };
          request.settle({ value });
        } finally {
          this.to("idle");
        }
      } catch (error) {
        request.settle({ error });
      } finally {
        this.current = null;
      }
    });
  }

  /** Cancels the generation `requestId` (any, when null): answered now, the engine stops at its next step. */
  cancel(requestId) {
    for (const request of [this.current, this.waiting]) {
      if (request && (requestId == null || request.requestId === requestId)) this.#cancel(request);
    }
    return true;
  }

  #cancel(request) {
    request.cancelled = true;
    request.settle({ value: cancelledResult(request) });
  }

  /** Whether the generation that owns the engine was cancelled (the device link's answer to Python). */
  get cancelled() {
    return Boolean(this.current?.cancelled);
  }

  /** Text the running generation streamed: kept for a cancelled answer, posted while it is unanswered. */
  stream(text) {
    const request = this.current;
    if (!text || !request) return;
    request.streamed += text;
    if (!request.settled) this.post({ type: "token", requestId: request.requestId, text });
  }
}
