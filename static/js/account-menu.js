// The top bar's account menu (templates/base.html) is a <details> disclosure, which opens and closes
// without JavaScript. Here, what a menu is expected to do besides: Esc closes it and gives the focus back
// to its button; a click elsewhere on the page, or on one of its links (some lead to a part of the page
// already shown), closes it.

const menu = document.querySelector("[data-account-menu]");
if (menu) {
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu.open) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", (event) => {
    if (menu.open && (!menu.contains(event.target) || event.target.closest("a"))) menu.open = false;
  });
}
