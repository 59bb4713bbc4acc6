// @ts-check
// The engine worker as tests and benchmarks run it: the product worker (../engine/engine_worker.js, imported
// as it is) plus the requests only they use. Started by the engine host page (engine_host.js) and, in the
// tests that ask for it, by the side panel (build/precis_build/panel_probe.js: useDevEngine). Never shipped:
// `precis pack` leaves extension/dev/ out.
//
// Messages in, besides the product's:
//   {id, type: "generate_ids", requestId?, source, prompt_ids, max_tokens, stop_ids?, continue?, device?}
//                                                  greedy ids of the device alone (a generation: newest wins)
//   {id, type: "gpu_memory"}                       {devices, buffers, bytes} alive
//   {id, type: "time_encode", source?, text, repeat?}   the tokenizer's encode speed in Pyodide
//   {id, type: "<name>_for_test", ...}             ./engine_test_hooks.js

import { extendRequests } from "../engine/engine_worker.js";
import { liveGpuMemory } from "../engine/webgpu_executor.js";
import { hooks } from "./engine_test_hooks.js";

extendRequests({
  handlers: {
    ...hooks,
    gpu_memory: () => liveGpuMemory(),
    // Encode speed of the model's tokenizer inside the extension's Pyodide (bench_tokenizer --browser).
    time_encode: (m, { serialized, loadNow, call, model }) => serialized(async () => {
      await loadNow(m.source || model()?.identity.source || "package");
      return call("time_encode", { text: m.text, repeat: m.repeat || 3 });
    }),
  },
  generations: {
    // The device alone: greedy ids for prompt_ids.
    generate_ids: (m, { call }) => call("greedy", { prompt_ids: m.prompt_ids, max_tokens: m.max_tokens,
      stop_ids: m.stop_ids || [], fresh: !m.continue }),
  },
});
