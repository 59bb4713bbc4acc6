// @ts-check
// The engine host page: one EngineClient on the dev worker (./engine_worker_dev.js: the product worker plus
// the tests' and benchmarks' requests), exposed as window.precisEngine for Selenium (tests/browser,
// python -m precis_build.bench_browser). Progress goes to the page and to window.precisProgress.

import { EngineClient } from "../engine/engine_client.js";

window.precisProgress = [];
const engine = new EngineClient({
  workerUrl: new URL("./engine_worker_dev.js", import.meta.url),
  onProgress: (message) => {
    window.precisProgress.push(message);
    document.getElementById("state").textContent = message.message || message.stage;
  },
});
window.precisEngine = engine;
window.precisBoot = engine.boot();
