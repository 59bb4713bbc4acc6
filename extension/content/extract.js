// @ts-check
// Page extraction, injected after vendor/js/Readability.js by chrome.scripting.executeScript
// (files: [Readability.js, extract.js]); the value of the last expression is the result. Its
// limits come from Python (the engine's contract: max_page_chars, cjk_class), set beforehand on
// this isolated world as globalThis.precisExtractOptions by page_access.js.
// Runs in the extension's isolated world: it reads the page, changes nothing in it.
//
// Result: {title, byline, lang, url, siteName, text, selection, words, kind, truncated?}
//   text:  the article's clean text, paragraphs separated by blank lines (Readability on a
//          copy of the document; the page's visible text when Readability finds no article)
//   kind:  "article" | "page-text" | "pdf" (the PDF viewer: nothing we can read)
//   truncated: {text?, selection?, title?: the original length}, for each field cut to its cap
//
// Only what a person sees is read: elements the page hides (display:none, the hidden attribute,
// closed <details>, content-visibility:hidden) and text under visibility:hidden are left out.
// Opacity 0 counts as shown: pages fade text in as it scrolls into view, and that text is the page's.

(() => {
  const options = globalThis.precisExtractOptions;
  if (!options) throw new Error("extract.js runs with its options (page_access.js extractPage sets them)");
  // The page text and the selection are cut here, where they enter: the engine's wasm heap never
  // shrinks (precis.summarize.MAX_PAGE_CHARS).
  const MAX_TEXT_CHARS = options.maxTextChars;
  const MAX_TITLE_CHARS = 300;   // title, byline and site name
  const BLOCKS = new Set(["P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE", "TD", "TH",
    "DT", "DD", "FIGCAPTION", "DIV", "SECTION", "ARTICLE", "TR", "UL", "OL", "TABLE", "HEADER", "FOOTER"]);
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SVG", "IFRAME", "OBJECT", "BUTTON", "SELECT"]);

  // Text of a DOM subtree with a blank line between blocks and single spaces inside them.
  function blockText(root) {
    const out = [];
    let line = "";
    const flush = () => {
      const clean = line.replace(/\s+/g, " ").trim();
      if (clean) out.push(clean);
      line = "";
    };
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        line += node.nodeValue;
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE || SKIP.has(node.tagName.toUpperCase())) return;
      if (node.tagName.toUpperCase() === "BR") { line += " "; return; }
      const block = BLOCKS.has(node.tagName.toUpperCase());
      if (block) flush();
      for (const child of node.childNodes) walk(child);
      if (block) flush();
    };
    walk(root);
    flush();
    return out.join("\n\n");
  }

  // A copy of the document without what the live page hides: the copy has no layout to ask, so
  // the live page and its copy are walked side by side (a deep clone has the same tree).
  function visibleCopy() {
    const copy = /** @type {Document} */ (document.cloneNode(true));
    const prune = (live, copied) => {
      const liveChildren = [...live.childNodes];
      const copiedChildren = [...copied.childNodes];
      if (liveChildren.length !== copiedChildren.length) return;   // changed under us: keep it as is
      let textHidden = null;   // computed once, for the first text child
      liveChildren.forEach((node, i) => {
        if (node.nodeType === Node.ELEMENT_NODE) {
          // display:contents has no box of its own, so checkVisibility() is false; its children may show.
          if (!node.checkVisibility() && getComputedStyle(node).display !== "contents") copiedChildren[i].remove();
          else prune(node, copiedChildren[i]);
        } else if (node.nodeType === Node.TEXT_NODE) {
          textHidden ??= getComputedStyle(live).visibility !== "visible";   // inherited, may be undone below
          if (textHidden) copiedChildren[i].remove();
        }
      });
    };
    if (document.body && copy.body) prune(document.body, copy.body);
    return copy;
  }

  // s cut to `limit` UTF-16 units (never inside a surrogate pair), the cut noted in `truncated`.
  const truncated = {};
  function cap(field, s, limit) {
    if (s.length <= limit) return s;
    truncated[field] = s.length;
    const end = /[\ud800-\udbff]/.test(s[limit - 1]) ? limit - 1 : limit;
    return s.slice(0, end);
  }

  const meta = (name) => document.querySelector(`meta[name="${name}"], meta[property="${name}"]`)
    ?.getAttribute("content")?.trim() || "";
  const selection = cap("selection", String(window.getSelection?.() || "").trim(), MAX_TEXT_CHARS);
  const base = {
    title: (document.title || "").trim(),
    byline: meta("author"),
    lang: (document.documentElement.lang || "").trim(),
    url: location.href,
    siteName: meta("og:site_name"),
    selection,
  };

  // Chrome's PDF viewer: the document is an <embed> of the viewer, with no text of its own.
  if (document.contentType === "application/pdf") {
    return { ...base, kind: "pdf", text: "", words: 0 };
  }

  let kind = "article";
  let text = "";
  const visible = visibleCopy();
  try {
    // Readability edits the document it is given: give it a copy, never the live page.
    const article = new Readability(/** @type {Document} */ (visible.cloneNode(true))).parse();
    if (article) {
      base.title = (article.title || base.title).trim();
      base.byline = (article.byline || base.byline || "").trim();
      base.lang = (article.lang || base.lang || "").trim();
      base.siteName = (article.siteName || base.siteName || "").trim();
      // article.content is HTML from the page: parse it inert (DOMParser runs no scripts,
      // loads nothing) and read its text only.
      const doc = new DOMParser().parseFromString(article.content || "", "text/html");
      text = blockText(doc.body);
      // A "By <author>" line kept in the body repeats the byline: it is not article text.
      const [first, ...rest] = text.split("\n\n");
      if (base.byline && rest.length && /^by\s/i.test(first) && first.length < 120 && first.includes(base.byline)) {
        text = rest.join("\n\n");
      }
    }
  } catch (error) {
    console.warn("Précis: Readability failed", error);
  }
  // Words: space-separated runs, and each Chinese/Japanese/Korean character (those scripts put
  // no spaces between words, so a whole Chinese article would otherwise count as a few words).
  const CJK = new RegExp(`[${options.cjkClass}]`, "g");   // precis.scripts.CJK_CLASS
  const countWords = (s) => (s.match(CJK) || []).length + s.replace(CJK, " ").split(/\s+/).filter(Boolean).length;
  if (countWords(text) < 40 && visible.body) {
    // No article found: fall back to what the page shows.
    const shown = blockText(visible.body);
    if (shown.length > text.length) {
      text = shown;
      kind = "page-text";
    }
  }
  text = cap("text", text, MAX_TEXT_CHARS);
  for (const field of ["title", "byline", "siteName"]) base[field] = cap(field, base[field], MAX_TITLE_CHARS);
  const words = countWords(text);
  return { ...base, kind, text, words, ...(Object.keys(truncated).length ? { truncated } : {}) };
})();
