// Types tsc needs that no file of the extension declares (tsconfig.json includes this folder; never shipped).

// Readability (vendor/js/Readability.js), injected as a classic script before content/extract.js.
declare class Readability {
  constructor(document: Document);
  parse(): { title?: string; textContent?: string; content?: string; lang?: string; siteName?: string;
           byline?: string; excerpt?: string } | null;
}

// What page_access.js sets on a tab's isolated world before it injects content/extract.js.
declare var precisExtractOptions: { maxTextChars: number; cjkClass: string } | undefined;

// What the dev layer exposes on its pages' window for Selenium: extension/dev/engine_host.js and
// build/precis_build/panel_probe.js.
// FileSystemFileHandle.move (Chrome 110+), not yet in TypeScript's DOM types.
interface FileSystemFileHandle {
  move(destination: FileSystemDirectoryHandle, name: string): Promise<void>;
}

interface Window {
  precisEngine?: import("../extension/engine/engine_client.js").EngineClient;
  precisBoot?: Promise<unknown>;
  precisStatus?: Promise<unknown>;
  precisProgress?: object[];
  precisPanel?: object;
}

// navigator.deviceMemory (Chrome; GiB, rounded), not in TypeScript's DOM types. The CPU device's memory budget.
interface Navigator {
  readonly deviceMemory?: number;
}
