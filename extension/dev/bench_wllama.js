// @ts-check
// Benchmark only (python -m precis_build.bench_browser --against wllama; loaded by the engine host page; like
// all of extension/dev/, not part of the store zip): wllama's own completion API on the same model and prompt as our engine on the
// CPU device, so the cost of Python orchestration is a measured ratio. wllama tokenizes, samples (greedy) and
// loops itself here; nothing of ours runs but the timing.

import { Wllama } from "../../vendor/js/wllama/index.js";
import { openModelSource } from "../engine/model_source.js";
import { streamedFile, withCopiedWrites } from "../engine/wllama_device.js";

const ROOT = new URL("../../", import.meta.url);

/** {promptText, newTokens, threads, context, model?}: (model: the file's path in the extension folder; default the
 * built-in) load time, time to first token, prefill and decode tokens/s, the
 * prompt ids llama.cpp's own tokenizer made of promptText, and the ids it generated. */
export async function wllamaCompletion({ promptText, newTokens, threads, context, model }) {
  const assets = await (await fetch(new URL("vendor/precis-assets.json", ROOT))).json();
  const modelPath = model ?? assets.default_model;
  const wllama = new Wllama({
    "single-thread/wllama.wasm": new URL("vendor/js/wllama/single-thread/wllama.wasm", ROOT).href,
    "multi-thread/wllama.wasm": new URL("vendor/js/wllama/multi-thread/wllama.wasm", ROOT).href,
  }, { suppressNativeLog: true, logger: { debug() {}, log() {}, warn: console.warn, error: console.error } });
  try {
    let started = performance.now();
    // Streamed and handed over as the CPU device does it (a Blob of a file past 1 GiB crashes Chromium:
    // model_source.js; a chunk in the shared buffer cannot be transferred: withCopiedWrites).
    const file = streamedFile(await openModelSource("package", ROOT, { defaultUrl: new URL(modelPath, ROOT).href }));
    await withCopiedWrites(() => wllama.loadModel([file], { n_ctx: context, n_batch: 512, n_threads: threads, seed: 0 }));
    const loadS = (performance.now() - started) / 1000;
    const promptIds = await wllama.tokenize(promptText, true);
    const ids = [];
    let first = null;
    started = performance.now();
    await wllama.createCompletion(promptText, {
      nPredict: newTokens,
      sampling: { temp: 0 },
      onNewToken: (token) => {
        first ??= performance.now();
        ids.push(token);
      },
    });
    const done = performance.now();
    const ttftS = ((first ?? done) - started) / 1000;
    const decodeS = (done - (first ?? done)) / 1000;
    return {
      load_s: loadS,
      ttft_s: ttftS,
      prefill_tok_s: promptIds.length / ttftS,
      decode_tok_s: ids.length > 1 && decodeS > 0 ? (ids.length - 1) / decodeS : null,
      threads: wllama.getNumThreads(),
      multithread: wllama.isMultithread(),
      prompt_ids: promptIds,
      ids,
    };
  } finally {
    await wllama.exit().catch(() => {});
  }
}
