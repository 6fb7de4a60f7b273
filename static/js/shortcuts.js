// Keyboard shortcuts on the pages that show todos (templates/includes/shortcuts.html lists them in a
// dialog, opened by "?" or its button): n the new-todo field, j / k the next / previous row, x ticks the
// row, e edits it (as Enter or F2 on it do, static/js/inline-edit.js), Delete or Backspace deletes it,
// each by pressing the row's own control, so the page behaves as if the person had clicked it. "/" (the
// search box) is static/js/search-key.js's. None fires while typing, in another dialog, or with Ctrl,
// Meta or Alt held (Alt+↑ / Alt+↓ reorder, static/js/sorting.js).

import "./keep-focus.js";
import { canFocus, primaryControl, rowOf, rows } from "./rows.js";
import { isTyping } from "./typing.js";

const help = document.querySelector("[data-shortcuts-help]");
let returnTo = null;

function inOtherDialog(target) {
  const dialog = target instanceof Element ? target.closest("dialog") : null;
  return Boolean(dialog && dialog !== help) || document.querySelector("dialog[open]:not([data-shortcuts-help])") !== null;
}

function focusRow(row) {
  const control = primaryControl(row);
  if (!canFocus(control)) return;
  control.focus();
  row.scrollIntoView({ block: "nearest" });
}

function step(by) {
  const all = rows();
  if (!all.length) return;
  const at = all.indexOf(rowOf(document.activeElement));
  if (at < 0) focusRow(by > 0 ? all[0] : all[all.length - 1]);
  else focusRow(all[Math.min(Math.max(at + by, 0), all.length - 1)]);
}

/** Press the row's control matching `selector`, if the row has it and it can be pressed now. */
function press(selector) {
  const row = rowOf(document.activeElement);
  const control = row?.querySelector(selector);
  if (!canFocus(control)) return false;
  control.click();
  return true;
}

function edit() {
  const row = rowOf(document.activeElement);
  const label = row?.querySelector(".view label");
  if (!label) return false;
  label.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
  return true;
}

function openHelp() {
  if (!help || help.open) return;
  returnTo = document.activeElement;
  help.showModal();
}

const ACTIONS = {
  n: () => {
    const field = document.getElementById("new-todo");
    if (!canFocus(field)) return false;
    field.focus();
    return true;
  },
  j: () => (step(1), true),
  k: () => (step(-1), true),
  x: () => press(".toggle, .smart-toggle button"),
  e: edit,
  F2: edit,
  Delete: () => press(".destroy"),
  Backspace: () => press(".destroy"),
  "?": () => (openHelp(), true),
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || event.isComposing) return;
  const action = ACTIONS[event.key.length === 1 && event.key !== "?" ? event.key.toLowerCase() : event.key];
  if (!action || isTyping(event.target) || inOtherDialog(event.target)) return;
  if (help?.open && event.key !== "?") return; // the help dialog is on top: only Esc (the dialog's) and ? close it
  if (help?.open) {
    event.preventDefault();
    help.close();
    return;
  }
  if (action()) event.preventDefault();
});

if (help) {
  // Focus goes back where it was when the dialog closes, whichever way (Esc, its Close button, "?").
  help.addEventListener("close", () => {
    if (returnTo?.isConnected) returnTo.focus();
    returnTo = null;
  });
  for (const opener of document.querySelectorAll("[data-shortcuts-open]")) {
    opener.closest("[hidden]")?.removeAttribute("hidden");
    opener.addEventListener("click", openHelp);
  }
}
