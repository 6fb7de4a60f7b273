// The top bar's theme switch (templates/base.html): Auto follows the system setting, Light and Dark override
// it. The choice is kept in localStorage.theme, the key and values of Django's admin, and applied before
// first paint by static/js/theme.js. Without JavaScript the switch stays hidden and the system setting applies.

const THEMES = ["auto", "light", "dark"];
const control = document.querySelector("[data-theme-switch]");

if (control) {
  const select = control.querySelector("select");
  select.value = currentTheme();
  select.addEventListener("change", () => applyTheme(select.value, true));
  // Another tab (or the admin) changed the theme: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key !== "theme") return;
    applyTheme(event.newValue, false);
    select.value = currentTheme();
  });
  control.hidden = false;
}

function currentTheme() {
  const theme = document.documentElement.dataset.theme;
  return THEMES.includes(theme) ? theme : "auto";
}

function applyTheme(theme, remember) {
  const value = THEMES.includes(theme) ? theme : "auto";
  document.documentElement.dataset.theme = value;
  if (!remember) return;
  try {
    localStorage.setItem("theme", value);
  } catch {
    // Not remembered where storage is refused; this page still shows the choice.
  }
}
