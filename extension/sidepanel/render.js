// @ts-check
// Markdown from the model, rendered safely: marked turns it into HTML, DOMPurify keeps only
// harmless elements, and nothing that could load a resource survives (no images, media,
// frames, styles), so rendering never makes a network request. Model output is untrusted:
// it can repeat whatever the page said, including HTML, scripts and deceptive links.
//
// Links: only web and mailto targets are kept (a "#..." or relative link would resolve to this
// panel's own page and open a second copy of it in a tab); each opens in a new tab without a
// handle on ours, and shows its real host beside its text, so "[your bank](https://evil.example)"
// reads "your bank (evil.example)".

import { Marked } from "../../vendor/js/marked.esm.js";
import DOMPurify from "../../vendor/js/purify.es.mjs";

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const PURIFY = {
  ALLOWED_TAGS: ["p", "br", "strong", "em", "b", "i", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "a", "table", "thead", "tbody", "tr", "th", "td"],
  ALLOWED_ATTR: ["href", "title", "align"],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  RETURN_DOM_FRAGMENT: true,
};

// What a link's target is, as a reader should see it: the host of a web link, the address of a mailto.
function linkTarget(href) {
  try {
    const url = new URL(href);
    if (url.protocol === "mailto:") return decodeURIComponent(url.pathname);
    return url.host;
  } catch {
    return null;
  }
}

// The sanitized fragment's links, made safe to click and honest about where they go. Our own
// attributes are added here, after DOMPurify, not by widening its allow-list.
function secureLinks(fragment) {
  for (const a of fragment.querySelectorAll("a")) {
    const href = a.getAttribute("href");
    const target = href ? linkTarget(href) : null;
    if (!target) {
      a.removeAttribute("href"); // an anchor without a target is text
      continue;
    }
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    if (a.textContent.trim() === href) continue; // an autolink already shows where it goes
    const host = document.createElement("span");
    host.className = "link-host";
    host.textContent = ` (${target})`;
    a.after(host);
  }
  return fragment;
}

export function markdownToSafeFragment(text) {
  return secureLinks(DOMPurify.sanitize(markdown.parse(String(text ?? "")), PURIFY));
}

export function renderMarkdown(element, text) {
  element.replaceChildren(markdownToSafeFragment(text));
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
