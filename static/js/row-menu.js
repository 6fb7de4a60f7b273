// A todo's ⋯ menu on phones and touch screens (static/css/app.css, "Phones and touch"): its button shows
// the row's controls (Edit, Move up, Move down, Details, Delete) in a small menu under it, one row's at a
// time. Escape, a tap elsewhere or choosing one of them closes it. On a wide screen with a mouse the
// button is not shown and the controls stand in the row; without JavaScript they always do.

export function startRowMenu(app) {
  const openRow = () => app.querySelector(".todo-list li.menu-open");

  const close = ({ focus = false } = {}) => {
    const row = openRow();
    if (!row) return;
    row.classList.remove("menu-open");
    const button = row.querySelector("[data-row-menu-toggle]");
    button?.setAttribute("aria-expanded", "false");
    if (focus) button?.focus();
  };

  app.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-row-menu-toggle]");
    if (button) {
      const row = button.closest("li");
      const wasOpen = row.classList.contains("menu-open");
      close();
      if (!wasOpen) {
        row.classList.add("menu-open");
        button.setAttribute("aria-expanded", "true");
        row.querySelector(".todo-tools :is(button, a):not(:disabled)")?.focus();
      }
      return;
    }
    // A control chosen in the menu does its work (its row is then redrawn, or edited); the menu closes.
    if (event.target.closest?.(".todo-list li.menu-open .todo-tools :is(button, a)")) close();
  });

  document.addEventListener("click", (event) => {
    const row = openRow();
    if (row && !row.contains(event.target)) close();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && openRow()?.contains(document.activeElement)) close({ focus: true });
  });
}
