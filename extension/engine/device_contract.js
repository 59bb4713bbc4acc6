// @ts-check
// The device contract in JS: the types every device of the engine worker implements, its one error class, and
// the argument checks every device makes of a step. py/precis/device.py is the contract's source (what step,
// poll and close promise); this file is its JS twin. Implementations: ./webgpu_executor.js (our WGSL on
// WebGPU), ./wllama_device.js (llama.cpp in wasm). The worker's DeviceLink hands either to Python, adding the
// text that rides on each step and the `cancelled` flag. tests/devices/test_device_contract.py checks both.

/**
 * @typedef {"unsupported_model" | "out_of_memory" | "device_lost" | "bad_input" | "internal"} DeviceErrorKind
 *   precis.device.DEVICE_ERROR_KINDS
 */

/**
 * @typedef {object} StepResult  the k best next tokens after the last one fed, best first
 * @property {Int32Array} ids
 * @property {Float32Array} logits   raw logits (WebGPU) or log-softmax (llama.cpp): shift-invariant sampling
 */

/**
 * @callback LoadProgress  called as the weights stream in
 * @param {number} fraction   0..1 of the file read
 * @param {number} bytesDone  bytes read so far
 * @returns {void}
 */

/**
 * @typedef {object} Device
 * @property {(source: object, onProgress?: LoadProgress) => Promise<unknown>} loadWeights
 *   streams the weights from an open model_source.js source; a failure leaves nothing allocated
 * @property {(tokenIds: Int32Array | number[], positions: Int32Array | number[], k: number) => Promise<StepResult>} step
 *   feeds tokenIds at positions (consecutive; positions[0] at most what the cache holds: a lower one drops the
 *   cache from there); steps run one after another; a failure rejects with a DeviceError
 * @property {() => object} describe  {kind: "webgpu" | "cpu", name, ...} for the panel
 * @property {() => unknown} close  frees everything (buffers and GPU device; llama.cpp's worker and wasm memory);
 *   idempotent; later steps reject with DeviceError("device_lost", ...)
 * @property {DeviceError | null} lost  set once the device is gone (the worker then builds a new one)
 */

/**
 * @callback CreateDevice  what each device module exports as createDevice
 * @param {object} spec  from precis.engine's prepare: {kind: "webgpu", plan, requiredLimits, requiredFeatures}
 *   or {kind: "cpu", context, kv_type, threads, batch}
 * @param {{kernelsUrl?: URL, onProgress?: (fraction: number, message: string) => void,
 *          onLog?: (level: string, text: string) => void}} [options]
 * @returns {Promise<Device>}
 */

/** A device's failure: crosses to Python as {kind, message} (precis.device.DeviceError, same order). */
export class DeviceError extends Error {
  /** @param {DeviceErrorKind} kind @param {string} message */
  constructor(kind, message) {
    super(message);
    this.name = "DeviceError";
    this.kind = kind;
  }
}

/**
 * The checks every device makes of a step's arguments (precis.device.check_step, the same messages).
 * @param {ArrayLike<number>} tokenIds
 * @param {ArrayLike<number>} positions
 * @param {number} k
 * @param {{cached: number, context: number, vocab: number, chunk: number}} device
 */
export function checkStep(tokenIds, positions, k, { cached, context, vocab, chunk }) {
  const n = tokenIds.length;
  if (n === 0 || positions.length !== n) {
    throw new DeviceError("bad_input", `a step needs one position per token (${n} tokens, ${positions.length} positions)`);
  }
  const start = positions[0];
  for (let i = 0; i < n; i++) {
    if (positions[i] !== start + i) throw new DeviceError("bad_input", "a step's positions must be consecutive");
  }
  for (let i = 0; i < n; i++) {
    const id = tokenIds[i];
    if (!(Number.isInteger(id) && id >= 0 && id < vocab)) {
      throw new DeviceError("bad_input", `token id ${id} outside the vocabulary 0..${vocab - 1}`);
    }
  }
  if (!(Number.isInteger(start) && start >= 0 && start <= cached)) {
    throw new DeviceError("bad_input", `position ${start} skips past the ${cached} tokens the cache holds`);
  }
  if (start + n > context) {
    throw new DeviceError("bad_input", `positions ${start}..${start + n - 1} exceed the context of ${context} tokens`);
  }
  if (!(Number.isInteger(k) && k >= 1)) throw new DeviceError("bad_input", `top-k must be a positive integer, got ${k}`);
  if (n > chunk) throw new DeviceError("bad_input", `a step takes 1..${chunk} tokens, got ${n}`);
}
