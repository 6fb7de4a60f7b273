// The side column as a "Lists" menu on phones (static/css/app.css, "Phones and touch"). Without
// JavaScript the top bar's link goes down to the column, which follows the page's main part; here the
// link gives way to a button that shows the column above the main part and hides it again. Wider
// screens show the column beside the main part whatever the button says (the button is not shown there).

const column = document.querySelector("[data-lists-menu]");
const link = document.querySelector("[data-lists-menu-link]");
const toggle = document.querySelector("[data-lists-menu-toggle]");

if (column && link && toggle) {
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    column.dataset.listsMenu = open ? "open" : "closed";
  };
  setOpen(false);
  link.hidden = true;
  toggle.hidden = false;

  // Opened, its first link takes the focus (the column comes after the top bar's other controls), so
  // Tab goes on through the lists; a link, not the new-list field, which would open the on-screen keyboard.
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) column.querySelector("a[href]")?.focus();
  });

  // Escape closes the menu and puts the focus back on its button.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || column.dataset.listsMenu !== "open") return;
    if (!column.contains(document.activeElement) && document.activeElement !== toggle) return;
    setOpen(false);
    toggle.focus();
  });
}
