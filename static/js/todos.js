// The list page's glue around htmx (static/vendor/htmx.org-*): the page's forms and buttons send
// themselves (hx-post), and the server answers the parts of the page they changed (todos/views.py).
// Here: what htmx does not do by itself. Checkboxes send what they show; a failed request is
// reported and the page redrawn from the server; and inline editing and sorting (their modules).
// No markup is built here: every row, count and list comes from the server's partials.

import { showError } from "./alerts.js";
import { startDetails } from "./details.js";
import { startFieldErrors } from "./field-errors.js";
import { startInlineEdit } from "./inline-edit.js";
import "./lists-menu.js"; // the side column as a menu on phones: starts itself (the smart views load it alone)
import { startRowMenu } from "./row-menu.js";
import { startSorting } from "./sorting.js";

const { htmx } = window;
const app = document.querySelector("[data-todoapp]");
if (app && htmx) start(app);

function messageFor(status) {
  if (status === 0) return "Could not reach the server. Check your connection; the page shows what is saved.";
  if (status === 403) return "Your session has expired. Reload the page and log in again.";
  if (status === 404) return "That item no longer exists. The page now shows what is saved.";
  if (status === 429) return "Too many changes at once. Wait a moment and try again.";
  return "The server could not save your change. The page now shows what is saved; please try again.";
}

function start(app) {
  const pageUrl = () => location.pathname + location.search;

  /** Send `values` to `url`. From the page's section, which is never swapped, so the request is queued
   * behind the ones before it (hx-sync on <body>) and sent even when the control was redrawn meanwhile. */
  const send = (url, values, headers = {}) => htmx.ajax("POST", url, { source: app, values, headers });

  /** Ask for the page again and swap in its todos, counts, side column and heading. */
  const redraw = () =>
    htmx.ajax("GET", pageUrl(), {
      source: app,
      target: "#todo-main",
      swap: "outerHTML",
      select: "#todo-main",
      selectOOB: "#toggle-all-form,#todo-footer,#todo-empty,#todo-pagination,#side-lists,#list-heading",
    });

  // aria-busy: whether a request is on its way (the browser tests wait for it, as a screen reader may).
  const inFlight = new Set();
  const showBusy = () => app.setAttribute("aria-busy", String(inFlight.size > 0));
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    inFlight.add(event.detail.xhr);
    showBusy();
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    inFlight.delete(event.detail.xhr);
    showBusy();
    const { elt, successful, requestConfig, xhr } = event.detail;
    // A refused form (422, its message under the field) keeps what was typed, to be corrected.
    if (successful && xhr.status < 400 && requestConfig?.verb === "post" && elt instanceof HTMLFormElement) elt.reset();
  });

  // 412 and 422 answers are fragments that say what went wrong (htmx-config: responseHandling);
  // anything else that failed is said here, and the page then shows what the server has.
  const failed = (event) => {
    showError(messageFor(event.detail.xhr?.status ?? 0));
    if (event.detail.requestConfig?.verb !== "get") redraw();
  };
  // Every fragment names where it goes (HX-Retarget); an answer that does not is another page, such
  // as the login page after the session ended, and is not swapped into this one.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, requestConfig } = event.detail;
    const named = requestConfig?.verb === "post" || requestConfig?.elt?.matches?.("[data-quick-add], [data-details]");
    if (named && xhr.status < 400 && !xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = false;
      showError(messageFor(403));
    }
  });
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:sendError", failed);

  // A new todo is sent as typed and the field cleared at once, so the next one can be typed while the
  // first is on its way (a queued form would send what its field holds when its turn comes); a blank
  // one is ignored (TodoMVC).
  document.body.addEventListener("htmx:confirm", (event) => {
    const form = event.detail.elt;
    if (!form.matches?.("[data-new-todo-form]")) return;
    event.preventDefault();
    const description = form.elements.description.value;
    form.reset();
    // The quick-add chips go with the text: at once, and by asking again for the empty field, which
    // replaces any read still on its way (hx-sync) and lets the same text be read again.
    document.getElementById("quick-preview")?.replaceChildren();
    form.elements.description.dispatchEvent(new Event("input"));
    if (description.trim()) send(event.detail.path, { description });
  });

  // A row's buttons (×, ↑, ↓) and "Clear completed" are sent from the page's section too: a click
  // while an earlier request is on its way waits in the queue, and htmx drops a queued request whose
  // control the earlier answer has redrawn meanwhile (a × clicked just after adding a todo did nothing).
  document.body.addEventListener("htmx:confirm", (event) => {
    const control = event.detail.elt;
    const rowButton = control instanceof HTMLButtonElement && control.closest(".todo-list li");
    if (!rowButton && !control.matches?.(".clear-completed-form")) return;
    event.preventDefault();
    send(event.detail.path, rowButton && control.name ? { [control.name]: control.value } : {});
  });

  // A ticked checkbox (a todo, "mark all", a list in the side column) sends what it now shows:
  // completed true or false. The ticks show at once; the server's answer then redraws them.
  document.addEventListener("change", (event) => {
    const box = event.target.closest?.("input[type=checkbox][data-url]");
    if (!box) return;
    const rows = box.matches(".toggle")
      ? [box.closest("li")]
      : box.matches(".toggle-all") || box.id === `list-complete-${app.dataset.listId}`
        ? [...app.querySelectorAll(".todo-list li")]
        : [];
    for (const row of rows) {
      row.classList.toggle("completed", box.checked);
      row.querySelector(".toggle").checked = box.checked;
    }
    const row = box.closest("li[data-version]");
    send(box.dataset.url, { completed: String(box.checked) }, row ? { "If-Match": row.dataset.version } : {});
  });

  startInlineEdit(app, send);
  startSorting(app, send);
  startDetails(app);
  startRowMenu(app);
  startFieldErrors(document.querySelector(".layout") ?? app);
  showBusy();
}
