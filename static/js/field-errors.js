// A field's message from the server (the list page's field-error partial, swapped in by htmx under the
// new-todo, new-list and rename fields) marks its field invalid while it shows, as a form drawn with
// errors does (templates/includes/field.html): aria-invalid on every field it describes.

export function startFieldErrors(root) {
  const mark = () => {
    for (const message of root.querySelectorAll(".field-error[id]")) {
      const invalid = !message.hidden && message.textContent.trim() !== "";
      for (const field of root.querySelectorAll(`[aria-describedby~="${CSS.escape(message.id)}"]`)) {
        if (invalid) field.setAttribute("aria-invalid", "true");
        else field.removeAttribute("aria-invalid");
      }
    }
  };
  document.body.addEventListener("htmx:afterSettle", mark);
  mark();
}
