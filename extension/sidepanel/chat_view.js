// @ts-check
// Questions about the page: the conversation of the tab shown, Send (Enter), Regenerate, Copy
// and New chat. The user's messages are text; the model's answers are sanitized markdown.

import { engine, modelChoice } from "./engine.js";
import { cannotRunMessage, showStats } from "./engine_status.js";
import { ensureModel } from "./model_picker.js";
import { state, subscribe, tabState, tabUpdated } from "./panel_state.js";
import { renderMarkdown, streamingRenderer } from "./render.js";
import { PanelError, runRequest, startedGeneration, unlessStopped } from "./requests.js";
import { activeTab, readPage } from "./tabs.js";
import { $, notice, taskDone, taskProgress } from "./ui.js";

function lastAssistant() {
  if (state.tabId == null) return null;
  return [...tabState(state.tabId).messages].reverse().find((m) => m.role === "assistant") || null;
}

// Buttons follow the running request and what there is to regenerate or copy.
export function updateChatButtons() {
  const busy = Boolean(state.busy);
  $("send", HTMLButtonElement).disabled = busy;
  $("regenerate", HTMLButtonElement).disabled = busy || !lastAssistant();
  $("copy", HTMLButtonElement).disabled = !lastAssistant() && !(state.tabId != null && state.tabs.get(state.tabId)?.summary);
}

export function renderMessages() {
  const box = $("messages");
  box.replaceChildren();
  if (state.tabId != null) {
    for (const message of tabState(state.tabId).messages) {
      const div = document.createElement("div");
      div.className = `message ${message.role}`;
      if (message.role === "assistant") renderMarkdown(div, message.content);
      else div.textContent = message.content;
      box.append(div);
    }
  }
  updateChatButtons();
}

let nextConversation = 1;

export async function ask(question, { regenerate = false } = {}) {
  if (state.busy) return null; // Send is disabled while an answer runs; Esc or Stop ends it
  const tabId = state.tabId;
  if (tabId == null) return null;
  const tab = tabState(tabId);
  notice("");
  if (!regenerate) tabUpdated(tab, { messages: [...tab.messages, { role: "user", content: question }] });
  renderMessages();
  const result = await runRequest("chat", tabId, async () => {
    const cannotRun = cannotRunMessage();
    if (cannotRun) throw new PanelError(cannotRun);
    if (!tab.page) {
      const current = await activeTab();
      taskProgress(0, "Reading the page…");
      await unlessStopped(readPage(tabId, current?.url, "page"));
    }
    await unlessStopped(ensureModel());
    const bubble = document.createElement("div");
    bubble.className = "message assistant streaming";
    $("messages").append(bubble);
    const stream = streamingRenderer(bubble);
    taskProgress(0, "Reading your question into the model…");
    const messages = tab.messages.map(({ role, content }) => ({ role, content }));
    // The page goes to the engine once per conversation: again only for a new page, New chat, or an
    // engine that was restarted (it lost what it kept).
    const held = tab.conversation;
    const pageSent = !held || held.page !== tab.page || held.epoch !== engine.epoch;
    if (pageSent) tabUpdated(tab, { conversation: { id: `c${nextConversation++}`, page: tab.page, epoch: engine.epoch } });
    const generation = engine.generate("chat", {
      ...modelChoice(), messages, conversation: tab.conversation.id, ...(pageSent ? { page: tab.page } : {}),
      temperature: state.settings.temperature,
    }, { onToken: (text) => { taskDone(); stream.append(text); } });
    startedGeneration(generation);
    // A failed or stopped answer may have ended before the engine kept the page: the next question sends it.
    const answer = await generation.done.catch((error) => { tabUpdated(tab, { conversation: null }); throw error; });
    if (answer.stats.finish_reason === "cancelled") tabUpdated(tab, { conversation: null });
    if (state.tabs.get(tabId) !== tab) throw new PanelError("The page changed: the answer about the previous page was not kept.");
    stream.finish(answer.text);
    tabUpdated(tab, { messages: [...tab.messages, { role: "assistant", content: answer.text, stats: answer.stats }] });
    showStats(answer.stats, answer.model);
    if (answer.stats.finish_reason === "cancelled") notice("Stopped.", "info");
    return answer;
  });
  if (state.tabId === tabId) renderMessages();
  return result;
}

async function regenerate() {
  const tab = tabState(state.tabId);
  const last = tab.messages[tab.messages.length - 1];
  if (!last || last.role !== "assistant" || state.busy) return;
  tabUpdated(tab, { messages: tab.messages.slice(0, -1) });
  await ask(null, { regenerate: true });
}

async function copyLast() {
  const text = lastAssistant()?.content ?? tabState(state.tabId).summary?.text ?? "";
  try {
    await navigator.clipboard.writeText(text);
    notice("Copied.", "info");
  } catch {
    notice("Could not copy (the clipboard needs the panel to be focused).", "error");
  }
}

function newChat() {
  if (state.tabId == null) return;
  const tab = tabState(state.tabId);
  tabUpdated(tab, { messages: [], conversation: null });
  renderMessages();
  $("question").focus();
}

export function wireChat() {
  subscribe((change) => { if (change === "busy") updateChatButtons(); });
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const question = $("question", HTMLTextAreaElement).value.trim();
    if (!question || state.busy) return;
    $("question", HTMLTextAreaElement).value = "";
    ask(question);
  });
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("chat-form", HTMLFormElement).requestSubmit();
    }
  });
  $("regenerate").addEventListener("click", regenerate);
  $("copy").addEventListener("click", copyLast);
  $("new-chat").addEventListener("click", newChat);
}
