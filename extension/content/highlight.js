// Grounding in the page: scroll to a passage and highlight it.
// These functions are serialized by chrome.scripting.executeScript({func, args}) and run in the
// page's isolated world, so each must be self-contained (no outer variables, no imports).
//
// The highlight uses the CSS Custom Highlight API: a Range registered in CSS.highlights and
// styled through an adopted style sheet. The page's DOM is never modified, so the page cannot
// break (no wrapped nodes, no shifted offsets for its own scripts).

export function highlightPassage(passage) {
  const NAME = "precis-passage";
  const normalize = (s) => s.toLowerCase().replace(/\s+/g, " ");

  // Every visible text node of the page, concatenated with whitespace collapsed, keeping for
  // each character of the flat text the node and offset it came from.
  const nodes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/i.test(parent.tagName)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  let flat = "";
  const map = []; // flat index -> [node, offset]
  let lastSpace = true;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push(node);
    const value = node.nodeValue;
    for (let i = 0; i < value.length; i++) {
      const space = /\s/.test(value[i]);
      if (space && lastSpace) continue;
      flat += space ? " " : value[i].toLowerCase();
      map.push([node, i]);
      lastSpace = space;
    }
    if (!lastSpace) { flat += " "; map.push([node, value.length]); lastSpace = true; }
  }

  // The whole passage, else its start (the page may split it across elements differently).
  const target = normalize(passage).trim();
  let at = flat.indexOf(target);
  let length = target.length;
  for (const cut of [120, 60, 30]) {
    if (at >= 0 || target.length <= cut) break;
    at = flat.indexOf(target.slice(0, cut));
    length = cut;
  }
  if (at < 0) return { found: false };

  const range = document.createRange();
  const [startNode, startOffset] = map[at];
  const [endNode, endOffset] = map[Math.min(at + length - 1, map.length - 1)];
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, Math.min(endOffset + 1, endNode.nodeValue.length));

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
