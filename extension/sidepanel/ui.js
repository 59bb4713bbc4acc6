// Small DOM helpers the panel's views share: the element by id, the notice line, the task line.
// Everything written here is text (textContent), never markup.

export const $ = (id) => document.getElementById(id);

export function notice(message, kind = "info") {
  const box = $("notice");
  box.hidden = !message;
  box.dataset.kind = kind;
  box.textContent = message || "";
}

export function taskProgress(fraction, message) {
  $("task").hidden = false;
  $("task-progress").value = fraction;
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
