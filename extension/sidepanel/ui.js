// @ts-check
// Small DOM helpers the panel's views share: the element by id, the notice line, the task line.
// Everything written here is text (textContent), never markup.

/**
 * The element with this id. With `type` (HTMLInputElement, HTMLSelectElement, ...), checked to be one: a markup
 * change that breaks a view fails here, by name, rather than as an undefined property later.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{new (): T, prototype: T}} [type]
 * @returns {T}
 */
export function $(id, type) {
  const element = document.getElementById(id);
  if (type && !(element instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return /** @type {T} */ (element);
}

export function notice(message, kind = "info") {
  const box = $("notice");
  box.hidden = !message;
  box.dataset.kind = kind;
  box.textContent = message || "";
}

export function taskProgress(fraction, message) {
  $("task").hidden = false;
  $("task-progress", HTMLProgressElement).value = fraction;
  $("task-message").textContent = message;
}

export function taskDone() {
  $("task").hidden = true;
}

// A <dl> from [term, value] pairs.
export function fillList(dl, entries) {
  dl.replaceChildren();
  for (const [term, value] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    dl.append(dt, dd);
  }
}
