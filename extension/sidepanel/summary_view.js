// @ts-check
// Summaries: the one path every summary request takes (menu, shortcut, toolbar, the panel's
// button), the streamed text, and the finished summary with its grounding: each key point
// links to its passage in the page; a point with facts the page does not hold is flagged with
// those spans ("October 10: not in the page") and the closest passage beside it.
// Page and model text is written with textContent or sanitized markdown (render.js), never as HTML.

import { engine, modelChoice } from "./engine.js";
import { cannotRunMessage, showStats } from "./engine_status.js";
import { ensureModel } from "./model_picker.js";
import { showPassage } from "./page_access.js";
import { state, tabState, tabUpdated } from "./panel_state.js";
import { renderMarkdown, streamingRenderer } from "./render.js";
import { PanelError, runRequest, showError, startedGeneration, stopCurrent, unlessStopped } from "./requests.js";
import { readPage, showTab } from "./tabs.js";
import { $, notice, taskDone, taskProgress } from "./ui.js";

// {tabId, url, kind: "page"|"selection", source}: the newer request wins over a running one.
export async function handleRequest(request) {
  if (state.busy) await stopCurrent("The previous request was stopped: a newer one came in.");
  else notice("");
  const tabId = request.tabId ?? state.tabId;
  if (tabId != null && tabId !== state.tabId) showTab(tabId);
  return runRequest("summary", tabId, async () => {
    const cannotRun = cannotRunMessage();
    if (cannotRun) throw new PanelError(cannotRun);
    if (tabId == null) throw new PanelError("Open a web page in this window, then summarize it.");
    const tab = tabState(tabId);
    taskProgress(0, request.kind === "selection" ? "Reading the selection…" : "Reading the page…");
    const page = await unlessStopped(readPage(tabId, request.url, request.kind));
    await unlessStopped(ensureModel());
    return summarize(tabId, tab, page, request);
  });
}

async function summarize(tabId, tab, page, request) {
  const { style, length, temperature, judge } = state.settings;
  $("summary").hidden = false;
  $("sources").hidden = true;
  $("summary-body").hidden = false;
  const stream = streamingRenderer($("summary-body"));
  stream.finish("");
  showPageCut(request.kind, pageCut(page));
  taskProgress(0, "Reading the page into the model…");
  const generation = engine.generate("summarize", { ...modelChoice(), page, style, length, temperature, judge }, {
    onToken: (text) => { taskDone(); stream.append(text); },
    onProgress: ({ stage, done, total }) => taskProgress(total ? done / total : 0,
      stage === "map" ? `Long page: reading part ${Math.min(done + 1, total)} of ${total}…` : "Combining the parts…"),
  });
  startedGeneration(generation);
  let result;
  try {
    result = await generation.done;
  } catch (error) {
    if (!stream.text) $("summary").hidden = true; // nothing to show: the notice says why
    throw error;
  }
  // The tab went to another page meanwhile: this summary is not that page's.
  if (state.tabs.get(tabId) !== tab) {
    if (state.tabId === tabId) showSummaryOf(tabId);
    throw new PanelError("The page changed: the summary of the previous page was not kept.");
  }
  stream.finish(result.text);
  const summary = { ...result, style, kind: request.kind, cut: pageCut(page) };
  tabUpdated(tab, { summary });
  if (state.tabId === tabId) presentSummary(summary, page, tabId);
  showStats(result.stats, result.model);
  if (result.stats.finish_reason === "cancelled") notice("Stopped.", "info");
  else if (result.stats.parts) {
    const { summarized, total } = result.stats.parts; // the map step's cap (precis.summarize.MAX_MAP_CHUNKS)
    notice(`Summarized the first ${summarized} of ${total} parts of this page.`, "info");
  }
  return summary;
}

// The summary section for a tab: its finished summary, or nothing.
export function showSummaryOf(tabId) {
  const summary = state.tabs.get(tabId)?.summary;
  if (summary) presentSummary(summary, state.tabs.get(tabId).page, tabId);
  else $("summary").hidden = true;
  showStats(summary?.stats, state.model?.title);
}

// What extract.js cut of a page (or selection) longer than its cap: {read, of} characters, or null.
function pageCut(page) {
  return page.truncated?.text ? { read: page.text.length, of: page.truncated.text } : null;
}

// The summary says when it rests on the start of the text only.
function showPageCut(kind, cut) {
  const what = kind === "selection" ? "The selection is long" : "This page is long";
  $("page-cut").hidden = !cut;
  $("page-cut").textContent = cut
    ? `${what}: Précis read its first ${cut.read.toLocaleString("en-US")} characters (of ${cut.of.toLocaleString("en-US")}).`
    : "";
}

// A point's passage: its index into grounding.passages (precis.grounding.ground_as_dict; -1: none).
function passageOf(grounding, point) {
  const passage = point.passage;
  if (typeof passage === "number" && passage >= 0) return grounding.passages?.[String(passage)] || null;
  return null;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function pointItem(grounding, point, i, tabId) {
  const li = element("li", point.supported ? "supported" : "unsupported");
  li.append(element("span", "point", point.point), " ");
  const passage = passageOf(grounding, point);
  if (point.supported && passage) {
    const button = element("button", "source", "Show in page");
    button.type = "button";
    button.setAttribute("aria-label", `Show point ${i + 1} in the page`);
    button.title = passage.text;
    button.addEventListener("click", () => goToPassage(tabId, passage.text, button));
    li.append(button);
    return li;
  }
  // Unsupported: each failed fact and why (precis.grounding's reasons, which the engine always gives), else the
  // point as a whole.
  const reasons = (Array.isArray(point.reasons) ? point.reasons : [])
    .filter((r) => r && typeof r.span === "string" && typeof r.reason === "string");
  const flags = element("span", "flags");
  if (reasons.length) {
    for (const r of reasons) flags.append(element("span", "flag", `${r.span}: ${r.reason}`));
  } else {
    const flag = element("span", "flag", "Not found in the page");
    flag.title = "No passage of the page supports this point: check it before relying on it.";
    flags.append(flag);
  }
  li.append(flags);
  // Show in page goes to the passage that contradicts the point, where there is one.
  const against = reasons.map((r) => (typeof r.passage === "number" && r.passage >= 0 ? grounding.passages?.[String(r.passage)] : null)).find(Boolean);
  const shown = against || passage;
  if (shown) {
    const quote = element("blockquote", "passage", shown.text);
    quote.title = against ? "What the page says" : "The closest passage of the page";
    li.append(quote);
  }
  if (against) {
    const button = element("button", "source", "Show in page");
    button.type = "button";
    button.setAttribute("aria-label", `Show what the page says about point ${i + 1}`);
    button.title = against.text;
    button.addEventListener("click", () => goToPassage(tabId, against.text, button));
    li.append(button);
  }
  return li;
}

// A finished summary with its grounding. Key points are shown once, as the grounded list;
// other styles keep their text and list the sources below it.
export function presentSummary(summary, page, tabId) {
  $("summary").hidden = false;
  showPageCut(summary.kind, summary.cut);
  renderMarkdown($("summary-body"), summary.text);
  const grounding = summary.grounding || {};
  const points = Array.isArray(grounding.points) ? grounding.points : [];
  $("sources").hidden = points.length === 0;
  const keyPoints = summary.style === "key-points" && points.length > 0;
  $("summary-body").hidden = keyPoints;
  $("sources-title").textContent = keyPoints ? "Key points" : "Where the page says it";
  $("grounding").replaceChildren(...points.map((point, i) => pointItem(grounding, point, i, tabId)));
}

export async function goToPassage(tabId, text, button) {
  try {
    const result = await showPassage(tabId, text);
    if (!result.found) notice("That passage is no longer on the page (it may have changed).", "info");
    button.dataset.shown = result.found ? "yes" : "no";
    return result;
  } catch (error) {
    showError(error);
    return { found: false };
  }
}
