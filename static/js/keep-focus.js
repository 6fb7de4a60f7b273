// Keyboard focus stays where the person was after every change the server answers (CONVENTIONS: Front end).
// htmx swaps in the server's markup and gives the focus back to an element with the same id when there is
// one; here, what it cannot do. Before each swap the focused control is noted with its row and that row's
// neighbours; once the answer has settled, if the focus fell to the page's <body>, it goes back to that
// control or, gone or disabled (↑ on the row now at the top), to the same row; a row that is gone (deleted,
// cleared, moved to another list or out of a smart view) hands it to the next row, else the previous one,
// else the new-todo field.

import { canFocus, primaryControl, rowOf, rows } from "./rows.js";

const OTHER_MOVE = { "move-up": "move-down", "move-down": "move-up" };

let noted = null;

function note() {
  const active = document.activeElement;
  if (!active || active === document.body) return; // lost already: keep what an earlier swap noted
  // The notice region keeps its own focus (static/js/alerts.js): with no settle delay htmx settles in the swap's
  // own task, before alerts.js has shown the new notice's Dismiss button, so from here it cannot be focused.
  if (active.closest("[data-alerts]")) return;
  const row = rowOf(active);
  const all = rows();
  const at = row ? all.indexOf(row) : -1;
  noted = {
    element: active,
    id: active.id,
    rowId: row?.id ?? "",
    after: at >= 0 ? all.slice(at + 1).map((next) => next.id) : [],
    before: at >= 0 ? all.slice(0, at).reverse().map((previous) => previous.id) : [],
  };
}

function controlIn(row, was) {
  const [kind, pk] = was.id.match(/^(move-up|move-down)-(.+)$/)?.slice(1) ?? [];
  const candidates = [
    was.id && document.getElementById(was.id),
    kind && document.getElementById(`${OTHER_MOVE[kind]}-${pk}`),
    primaryControl(row),
  ];
  return candidates.find((candidate) => canFocus(candidate) && row.contains(candidate)) ?? null;
}

function target(was) {
  const same = was.id && document.getElementById(was.id);
  if (!was.rowId) return canFocus(same) ? same : document.getElementById("new-todo");
  const row = document.getElementById(was.rowId);
  if (row && canFocus(row)) return controlIn(row, was);
  for (const id of [...was.after, ...was.before]) {
    const control = primaryControl(document.getElementById(id));
    if (canFocus(control)) return control;
  }
  return document.getElementById("new-todo");
}

function restore() {
  const was = noted;
  noted = null;
  if (!was || (was.element.isConnected && canFocus(was.element))) return;
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return; // something else took it on purpose
  const control = target(was);
  if (canFocus(control)) control.focus();
}

document.body.addEventListener("htmx:beforeSwap", note);
document.body.addEventListener("htmx:afterSettle", restore);
