// Grounding in the page: scroll to a passage and highlight it.
// These functions are serialized by chrome.scripting.executeScript({func, args}) and run in the
// page's isolated world, so each must be self-contained (no outer variables, no imports).
//
// The highlight uses the CSS Custom Highlight API: a Range registered in CSS.highlights and
// styled through an adopted style sheet. The page's DOM is never modified, so the page cannot
// break (no wrapped nodes, no shifted offsets for its own scripts).

export function highlightPassage(passage) {
  const NAME = "precis-passage";
  // The page text and the passage are compared without whitespace and case-folded one UTF-16
  // unit at a time: Chinese and Japanese text has no spaces to line up, inline elements split
  // words ("<b>石桥</b>于", "<i>Ves</i>sel"), and folding can change a string's length
  // ("İ".toLowerCase() is two units), so each folded unit keeps the place it came from.
  const fold = (ch) => ch.toLowerCase();
  const SPACE = /\s/;

  // Every visible text node of the page, concatenated without whitespace, keeping for each
  // unit of the flat text the node and offset it came from. Visible as extract.js reads it: not
  // under display:none (or hidden, closed <details>), not visibility:hidden; opacity 0 counts as shown.
  const shown = (element) => {
    if (element.checkVisibility({ visibilityProperty: true })) return true;
    // display:contents makes no box (checkVisibility is false): its own visibility and its ancestors decide.
    const style = getComputedStyle(element);
    return style.display === "contents" && style.visibility === "visible"
      && (!element.parentElement || shown(element.parentElement));
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/i.test(parent.tagName)) return NodeFilter.FILTER_REJECT;
      return shown(parent) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
    },
  });
  const parts = [];
  const map = []; // flat index -> [node, offset]
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = node.nodeValue;
    for (let i = 0; i < value.length; i++) {
      if (SPACE.test(value[i])) continue;
      const folded = fold(value[i]);
      parts.push(folded);
      for (let k = 0; k < folded.length; k++) map.push([node, i]);
    }
  }
  const flat = parts.join("");

  let target = "";
  for (let i = 0; i < passage.length; i++) if (!SPACE.test(passage[i])) target += fold(passage[i]);
  // The whole passage, else its start (the page may hold it differently further on).
  let at = target ? flat.indexOf(target) : -1;
  let length = target.length;
  for (const cut of [120, 60, 30, 15]) {
    if (at >= 0 || target.length <= cut) break;
    at = flat.indexOf(target.slice(0, cut));
    length = cut;
  }
  if (at < 0) return { found: false };

  const range = document.createRange();
  const [startNode, startOffset] = map[at];
  const [endNode, endOffset] = map[Math.min(at + length - 1, map.length - 1)];
  range.setStart(startNode, startOffset);
  // End after the last source character (a surrogate pair: after both of its halves).
  const last = endNode.nodeValue.charCodeAt(endOffset);
  const width = last >= 0xd800 && last <= 0xdbff ? 2 : 1;
  range.setEnd(endNode, Math.min(endOffset + width, endNode.nodeValue.length));

  if (!document.adoptedStyleSheets.some((sheet) => sheet.precisOwned)) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`::highlight(${NAME}) { background-color: #fde047; color: #111; }`);
    sheet.precisOwned = true;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  if (globalThis.CSS?.highlights) CSS.highlights.set(NAME, new Highlight(range));

  const element = startNode.parentElement;
  element?.scrollIntoView({ block: "center", behavior: "smooth" });
  return { found: true, text: range.toString(), top: Math.round(range.getBoundingClientRect().top) };
}

export function clearHighlight() {
  globalThis.CSS?.highlights?.delete("precis-passage");
  return true;
}
