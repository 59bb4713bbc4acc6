// Page extraction, injected after vendor/js/Readability.js by chrome.scripting.executeScript
// (files: [Readability.js, extract.js]); the value of the last expression is the result.
// Runs in the extension's isolated world: it reads the page, changes nothing in it.
//
// Result: {title, byline, lang, url, siteName, text, selection, words, kind}
//   text:  the article's clean text, paragraphs separated by blank lines (Readability on a
//          copy of the document; the page's visible text when Readability finds no article)
//   kind:  "article" | "page-text" | "pdf" (the PDF viewer: nothing we can read)

(() => {
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

  const meta = (name) => document.querySelector(`meta[name="${name}"], meta[property="${name}"]`)?.content?.trim() || "";
  const selection = String(window.getSelection?.() || "").trim();
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
  try {
    // Readability edits the document it is given: give it a copy, never the live page.
    const article = new Readability(document.cloneNode(true)).parse();
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
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/g;
  const countWords = (s) => (s.match(CJK) || []).length + s.replace(CJK, " ").split(/\s+/).filter(Boolean).length;
  if (countWords(text) < 40 && document.body) {
    // No article found: fall back to what the page shows.
    const visible = blockText(document.body);
    if (visible.length > text.length) {
      text = visible;
      kind = "page-text";
    }
  }
  const words = countWords(text);
  return { ...base, kind, text, words };
})();
