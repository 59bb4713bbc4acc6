// Markdown from the model, rendered safely: marked turns it into HTML, DOMPurify keeps only
// harmless elements, and nothing that could load a resource survives (no images, media,
// frames, styles), so rendering never makes a network request. Model output is untrusted:
// it can repeat whatever the page said, including HTML and scripts.

import { Marked } from "../../vendor/js/marked.esm.js";
import DOMPurify from "../../vendor/js/purify.es.mjs";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const PURIFY = {
  ALLOWED_TAGS: ["p", "br", "strong", "em", "b", "i", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td"],
  ALLOWED_ATTR: ["href", "title", "align"],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

// Links open in a new tab without giving the page a handle on ours.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

export function markdownToSafeHtml(text) {
  return DOMPurify.sanitize(markdown.parse(String(text ?? "")), PURIFY);
}

export function renderMarkdown(element, text) {
  element.innerHTML = markdownToSafeHtml(text);
}

// Coalesce re-renders of a streaming answer (a timer, not requestAnimationFrame: that one
// stalls while the panel is hidden).
export function streamingRenderer(element) {
  let text = "";
  let scheduled = false;
  const draw = () => {
    scheduled = false;
    renderMarkdown(element, text);
  };
  return {
    append(chunk) {
      text += chunk;
      if (!scheduled) {
        scheduled = true;
        setTimeout(draw, 40);
      }
    },
    finish(finalText = text) {
      text = finalText;
      draw();
      return text;
    },
    get text() { return text; },
  };
}
