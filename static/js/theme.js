// The colour scheme chosen in the top bar (static/js/theme-switch.js), applied before the page is first
// painted: a classic script in <head>, neither a module nor deferred, so it runs before <body> is drawn.
// Django's admin stores the same key and values (admin/js/theme.js), so the site and the admin agree.
(function () {
  var theme = null;
  try {
    theme = window.localStorage.getItem("theme");
  } catch (error) {
    // Storage refused (private mode, blocked cookies): the system setting applies.
  }
  document.documentElement.dataset.theme = theme === "light" || theme === "dark" ? theme : "auto";
})();
