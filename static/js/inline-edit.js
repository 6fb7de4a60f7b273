// Inline editing of a todo (TodoMVC): double-click its text, or press Enter or F2 on its row, to edit;
// on a touch screen tap its text, or Edit in its ⋯ menu (static/js/row-menu.js). Enter (the on-screen
// keyboard's too) or leaving the field saves, Escape cancels, empty text deletes. The server answers the row:
// refused (too long), it comes back still being edited, with what was typed and the message under the field.

export function startInlineEdit(app, send) {
  const begin = (li) => {
    if (!li || li.classList.contains("editing")) return;
    const input = li.querySelector(".edit");
    li.classList.add("editing");
    input.value = li.querySelector(".view label").textContent;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  };

  const finish = (input, save, { keyboard = false } = {}) => {
    const li = input.closest("li");
    if (!li.classList.contains("editing")) return; // already finished: Enter or Escape, then the blur
    li.classList.remove("editing");
    li.querySelector(".edit-error")?.remove(); // a refused edit's message goes with the edit
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    const label = li.querySelector(".view label");
    const description = input.value.trim();
    if (keyboard) li.querySelector(".toggle").focus();
    if (!save || description === label.textContent) {
      input.value = label.textContent;
    } else if (!description) {
      li.querySelector(".destroy").click();
    } else {
      label.textContent = description; // shown at once; the server's row follows (or its latest, 412)
      send(li.dataset.url, { description }, { "If-Match": li.dataset.version });
    }
  };

  app.addEventListener("dblclick", (event) => {
    const label = event.target.closest(".todo-list .view label");
    if (label) begin(label.closest("li"));
  });

  // A tap is a click from a touch pointer: on the text it edits (a press held to drag sends no click).
  let pointerType = "";
  app.addEventListener("pointerdown", (event) => {
    pointerType = event.pointerType;
  });
  app.addEventListener("click", (event) => {
    const label = event.target.closest(".todo-list .view label");
    if (label && pointerType === "touch") begin(label.closest("li"));
    if (event.target.closest(".todo-list [data-edit]")) begin(event.target.closest("li"));
  });

  app.addEventListener("keydown", (event) => {
    const edit = event.target.closest(".todo-list .edit");
    if (edit) {
      if (event.key === "Enter" || event.key === "Escape") {
        event.preventDefault();
        finish(edit, event.key === "Enter", { keyboard: true });
      }
      return;
    }
    if ((event.key === "Enter" || event.key === "F2") && !event.altKey && event.target.matches(".todo-list .toggle")) {
      event.preventDefault();
      begin(event.target.closest("li"));
    }
  });

  app.addEventListener("focusout", (event) => {
    if (!redrawing && event.target.matches(".todo-list .edit")) finish(event.target, true);
  });

  // A refused edit's row takes the focus back into its field, the caret after what was typed.
  document.body.addEventListener("htmx:afterSettle", () => {
    const input = app.querySelector(".todo-list li.editing .edit[aria-invalid='true']");
    if (!input || document.activeElement === input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });

  // A row being edited stays so (with what was typed) when an answer to another change redraws it.
  let redrawing = null;
  document.body.addEventListener("htmx:beforeSwap", () => {
    const li = app.querySelector(".todo-list li.editing");
    const input = li?.querySelector(".edit");
    redrawing = li && {
      id: li.id,
      value: input.value,
      focused: document.activeElement === input,
      start: input.selectionStart,
      end: input.selectionEnd,
    };
  });
  document.body.addEventListener("htmx:afterRequest", () => {
    const kept = redrawing;
    redrawing = null;
    const li = kept && document.getElementById(kept.id);
    if (!li || li.classList.contains("editing")) return;
    const input = li.querySelector(".edit");
    li.classList.add("editing");
    input.value = kept.value;
    if (kept.focused) {
      input.focus();
      input.setSelectionRange(kept.start, kept.end);
    }
  });
}
