// The rows of todos a page shows, for the keyboard (shortcuts.js) and for keeping the focus (keep-focus.js):
// the list page's rows (templates/todos/list_detail.html), a smart view's or label's (smart_view.html) and
// the search page's results (search.html). A row is reached through its first control, which a screen
// reader announces with the todo's text: the list page's checkbox, a smart view's Done / Reopen button,
// a search result's link.

export const ROW = ".todo-list > li, .smart-list > li, .search-results > li";
const PRIMARY = ".toggle, .smart-toggle button, .search-description";

export const rows = () => [...document.querySelectorAll(ROW)].filter(isShown);

export const rowOf = (element) => element?.closest?.(ROW) ?? null;

export const primaryControl = (row) => row?.querySelector(PRIMARY) ?? null;

export function isShown(element) {
  return element.isConnected && !element.closest("[hidden]") && element.getClientRects().length > 0;
}

/** Whether `element` can take the keyboard's focus now: on the page, shown and not disabled. */
export function canFocus(element) {
  return Boolean(element) && isShown(element) && !element.disabled;
}
