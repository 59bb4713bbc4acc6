// Requests only the tests use (type "*_for_test"), loaded by engine_worker.js on the first such request.
// Nothing here changes what the engine does until a test asks.

import { WebGpuDevice } from "./webgpu_executor.js";

export const hooks = {
  // Destroys the device behind the engine's back, as a driver reset would; the next step builds a new one.
  lose_device_for_test: async (message, { model }) => {
    const device = model()?.slot.device;
    if (!device) throw new Error("no model is loaded");
    if (device.describe().kind === "cpu") {
      // The CPU device: llama.cpp's worker dies, as a crash would (its error event).
      const worker = device.wllama.proxy.worker;
      worker.terminate();
      worker.dispatchEvent(new ErrorEvent("error", { message: "simulated crash of llama.cpp's worker" }));
      return { lost: Boolean(device.lost), kind: device.lost?.kind, message: device.lost?.message };
    }
    device.device.destroy();
    await device.device.lost;
    await new Promise((resolve) => setTimeout(resolve, 0));   // the device's lost handler runs first
    return { lost: Boolean(device.lost), kind: device.lost?.kind, message: device.lost?.message };
  },

  // The next summary first spins `seconds` in Python without a poll, as a long synchronous stretch of text
  // work would: the worker takes no message (not even "cancel") until it ends. For the panel's watchdog.
  busy_python_for_test: ({ seconds }, { pyodide }) => {
    if (!pyodide()) throw new Error("the engine has not booted");
    pyodide().runPython(`
import time
from precis.engine import Engine

def _busy_then_summarize(self, *args, _summarize=Engine.summarize, **kwargs):
    Engine.summarize = _summarize
    end = time.monotonic() + ${Number(seconds)}
    while time.monotonic() < end:
        pass
    return _summarize(self, *args, **kwargs)

Engine.summarize = _busy_then_summarize
`);
    return true;
  },

  // The next load fails at `stage`, after the real work of that stage has allocated what it allocates:
  // "weights" (the file stops being readable after `afterBytes`), "pipelines" (after every pipeline compiled).
  fail_next_load_for_test: ({ stage, afterBytes = 8 << 20 }) => {
    if (stage === "weights") {
      const original = WebGpuDevice.prototype.loadWeights;
      WebGpuDevice.prototype.loadWeights = function (source, onProgress) {
        WebGpuDevice.prototype.loadWeights = original;
        const chunks = source.chunks.bind(source);
        source.chunks = async function* () {
          for await (const [offset, chunk] of chunks()) {
            if (offset > afterBytes) throw new Error("the file could not be read (test)");
            yield [offset, chunk];
          }
        };
        return original.call(this, source, onProgress);
      };
    } else if (stage === "pipelines") {
      const original = WebGpuDevice.prototype.compile;
      WebGpuDevice.prototype.compile = async function (kernelsUrl) {
        WebGpuDevice.prototype.compile = original;
        await original.call(this, kernelsUrl);
        throw new Error("a kernel pipeline failed (test)");
      };
    } else {
      throw new Error(`unknown stage ${stage}`);
    }
    return true;
  },
};
