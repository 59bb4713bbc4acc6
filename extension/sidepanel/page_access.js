// @ts-check
// Reading a tab's page from the panel: extraction (Readability + extract.js) and grounding
// highlights. Every failure becomes a PageAccessError whose message the panel can show as is.
//
// Access comes from activeTab: Chrome grants it when the user clicks the toolbar button, the
// context menu or the shortcut on that tab (until it navigates away).

import { clearHighlight, highlightPassage } from "../content/highlight.js";

export class PageAccessError extends Error {
  constructor(message, kind) {
    super(message);
    this.kind = kind; // "restricted" | "no-access" | "empty" | "pdf" | "failed"
  }
}

const MIN_WORDS = 25; // fewer words than this is not a page worth summarizing

// extract.js's limits, Python's (the engine's boot status carries them: precis.engine.Engine.contract):
// a page is read once the engine has booted, which the summary waits for anyway.
/** @type {(options: {maxTextChars: number, cjkClass: string}) => void} */
let limitsKnown = () => {};
/** @type {(error: Error) => void} */
let limitsUnknown = () => {};
const extractLimits = new Promise((resolve, reject) => { limitsKnown = resolve; limitsUnknown = reject; });
extractLimits.catch(() => {});   // a panel whose engine failed reads no page; that failure is shown already

/** The engine's contract once it has booted, or null when it could not boot.
 * @param {{max_page_chars: number, cjk_class: string} | null} contract */
export function usePageContract(contract) {
  if (contract) limitsKnown({ maxTextChars: contract.max_page_chars, cjkClass: contract.cjk_class });
  else limitsUnknown(new PageAccessError("Précis could not read the page: its engine did not start.", "failed"));
}

// Pages no extension may script, by URL (when Chrome lets us see the URL).
/** @type {Array<[RegExp, string]>} */
const RESTRICTED = [
  [/^(chrome|edge|brave|opera|vivaldi):\/\//i, "Chrome's own pages (chrome://…) cannot be read by extensions."],
  [/^chrome-extension:\/\//i, "Pages of extensions cannot be read by other extensions."],
  [/^https:\/\/chromewebstore\.google\.com\//i, "The Chrome Web Store cannot be read by extensions."],
  [/^https:\/\/chrome\.google\.com\/webstore/i, "The Chrome Web Store cannot be read by extensions."],
  [/^view-source:/i, "Source views (view-source:) cannot be read by extensions."],
  [/^(about|devtools|chrome-search|chrome-untrusted):/i, "Browser pages cannot be read by extensions."],
  [/^data:/i, "Pages opened from data: links cannot be read by extensions."],
];

export function restrictedReason(url) {
  for (const [pattern, message] of RESTRICTED) if (pattern.test(url || "")) return message;
  return null;
}

// Chrome's errors from executeScript, mapped to what the user can do about them.
function explain(error, url) {
  const text = String(error?.message || error);
  const byUrl = restrictedReason(url);
  if (byUrl) return new PageAccessError(byUrl, "restricted");
  if (/chrome:\/\/|chrome-extension:\/\/|extensions gallery|webstore|cannot be scripted|devtools:/i.test(text)) {
    return new PageAccessError("This is a browser or Web Store page: Chrome does not let extensions read it.", "restricted");
  }
  if (/file:\/\//i.test(text) || /^file:/i.test(url || "")) {
    return new PageAccessError("Précis cannot read local files: turn on \"Allow access to file URLs\" for Précis "
      + "in chrome://extensions, then try again.", "no-access");
  }
  if (/error page/i.test(text)) {
    return new PageAccessError("This tab shows an error page: there is nothing to summarize.", "empty");
  }
  if (/permission|Cannot access contents/i.test(text)) {
    return new PageAccessError("Précis needs your go-ahead to read this page: click the Précis toolbar button, "
      + "right-click > Summarize page, or press Alt+Shift+S on the page.", "no-access");
  }
  return new PageAccessError(`Précis could not read this page: ${text}`, "failed");
}

// {title, byline, lang, url, siteName, text, selection, words, kind, truncated?} for the tab
// (truncated.text: the length of the text before extract.js cut it to its cap).
export async function extractPage(tabId, { url = "", wantSelection = false } = {}) {
  const byUrl = restrictedReason(url);
  if (byUrl) throw new PageAccessError(byUrl, "restricted");
  const options = await extractLimits;
  let results;
  try {
    await chrome.scripting.executeScript({
      target: { tabId }, func: (o) => { globalThis.precisExtractOptions = o; }, args: [options],
    });
    results = await chrome.scripting.executeScript({
      target: { tabId },
      files: ["vendor/js/Readability.js", "extension/content/extract.js"],
    });
  } catch (error) {
    throw explain(error, url);
  }
  const page = results?.[0]?.result;
  if (!page) throw new PageAccessError("Précis could not read this page (the extraction returned nothing).", "failed");
  if (page.kind === "pdf") {
    throw new PageAccessError("This is a PDF shown by Chrome's PDF viewer, which extensions cannot read. "
      + "Select text in it and use right-click > Summarize selection instead, or open an HTML version.", "pdf");
  }
  if (wantSelection) {
    if (!page.selection) throw new PageAccessError("Nothing is selected on the page: select some text first.", "empty");
    const { truncated, ...rest } = page;   // what was cut of the page's text is not the selection's
    const selectionCut = truncated?.selection ? { truncated: { text: truncated.selection } } : {};
    return { ...rest, ...selectionCut, text: page.selection, words: page.selection.split(/\s+/).filter(Boolean).length,
      kind: "selection" };
  }
  if (page.words < MIN_WORDS) {
    throw new PageAccessError(`This page has no article text to summarize (${page.words} words found).`, "empty");
  }
  return page;
}

export async function showPassage(tabId, passageText) {
  try {
    const [result] = await chrome.scripting.executeScript({ target: { tabId }, func: highlightPassage, args: [passageText] });
    return result?.result || { found: false };
  } catch (error) {
    throw explain(error, "");
  }
}

export async function clearPassage(tabId) {
  try {
    await chrome.scripting.executeScript({ target: { tabId }, func: clearHighlight });
  } catch {
    // The tab navigated or closed: nothing left to clear.
  }
}
