// The details panel of a row (todos/views.py details_panel): its "Details" link, which without JavaScript
// opens the todo's edit page, asks htmx for the same form and the server adds it under the row. Saving
// answers the row, drawn without the panel; Cancel or Escape closes it. Focus comes back to the link.

const panelOf = (row) => row?.querySelector(":scope > [data-details-panel]");
const linkOf = (row) => row?.querySelector("[data-details]");

export function startDetails(app) {
  const close = (row) => {
    panelOf(row)?.remove();
    linkOf(row)?.setAttribute("aria-expanded", "false");
    linkOf(row)?.focus();
  };

  // A second click on "Details" closes the panel instead of asking for another.
  document.body.addEventListener("htmx:confirm", (event) => {
    const link = event.detail.elt;
    if (!link.matches?.("[data-details]")) return;
    const row = link.closest("li");
    if (panelOf(row)) {
      event.preventDefault();
      close(row);
    }
  });

  const focusIn = (panel) =>
    (
      panel.querySelector(".field-invalid :is(input, select, textarea)") ??
      panel.querySelector("input:not([type=hidden]), select, textarea")
    )?.focus();

  // Opened: the link says so and the first field takes the focus.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const row = event.detail.target?.closest?.("li");
    const panel = panelOf(row);
    if (!panel || !app.contains(panel) || !event.detail.requestConfig?.elt?.matches?.("[data-details]")) return;
    linkOf(row)?.setAttribute("aria-expanded", "true");
    focusIn(panel);
  });

  // Saved as the row showed it: the version the page has is sent, as inline edits send it (412 if it changed).
  document.body.addEventListener("htmx:configRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches?.("[data-details-form]")) return;
    const row = form.closest("li");
    if (row?.dataset.version) event.detail.headers["If-Match"] = row.dataset.version;
  });

  // Once the answer is in place: saved, the row came back without its panel and the focus goes back to its
  // "Details" link; refused, the panel came back and the first field in error takes the focus.
  let sentFrom = null;
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.matches?.("[data-details-form]")) sentFrom = event.detail.elt.closest("li")?.id ?? null;
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const row = sentFrom && document.getElementById(sentFrom);
    if (!row) return;
    sentFrom = null;
    const panel = panelOf(row);
    if (panel) focusIn(panel);
    else linkOf(row)?.focus();
  });

  app.addEventListener("click", (event) => {
    const cancel = event.target.closest?.("[data-details-close]");
    if (cancel) close(cancel.closest("li"));
  });

  app.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const panel = event.target.closest?.("[data-details-panel]");
    if (!panel) return;
    event.preventDefault();
    close(panel.closest("li"));
  });
}
