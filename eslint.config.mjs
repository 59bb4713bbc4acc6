// ESLint for extension/ (tests/unit/test_extension_static.py runs it): the recommended rules, browser and
// worker globals, and chrome.* (the extension APIs).
import js from "@eslint/js";
import globals from "globals";

export default [
  { files: ["extension/**/*.js", "build/precis_build/panel_probe.js"] },
  { ignores: ["vendor/", "node_modules/", "models/", "dist/", ".cache/", "py/", "tests/", "kernels/"] },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.worker, chrome: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
    },
  },
  // Injected after vendor/js/Readability.js, which defines it as a global.
  { files: ["extension/content/extract.js"], languageOptions: { globals: { Readability: "readonly" } } },
];
