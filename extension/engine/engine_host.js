// The engine host page: one EngineClient, exposed as window.precisEngine for Selenium (tests/browser,
// python -m precis_build.bench_browser). Progress goes to the page and to window.precisProgress.

import { EngineClient } from "./engine_client.js";

window.precisProgress = [];
const engine = new EngineClient({
  onProgress: (message) => {
    window.precisProgress.push(message);
    document.getElementById("state").textContent = message.message || message.stage;
  },
});
window.precisEngine = engine;
window.precisBoot = engine.boot();
