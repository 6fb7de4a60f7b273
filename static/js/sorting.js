// Reordering todos: drag a row (SortableJS, static/vendor/sortablejs-*; with a mouse at once, on a touch
// screen after holding it) onto another place, or onto a list in the side column to move it there;
// or press Alt+↑ / Alt+↓ on a row, which presses its ↑ / ↓ button. The server answers the rows.

const { htmx, Sortable } = window;

export function startSorting(app, send) {
  let dragging = false;
  let dropTarget = null;

  const otherListAt = (x, y) => {
    const item = document.elementFromPoint(x, y)?.closest("[data-sidebar] [data-list-id]");
    return item && item.dataset.listId !== app.dataset.listId ? item : null;
  };
  const point = (event) => event?.changedTouches?.[0] ?? event?.touches?.[0] ?? event;
  const highlight = (item) => {
    dropTarget?.classList.remove("drop-target");
    dropTarget = item;
    dropTarget?.classList.add("drop-target");
  };
  const track = (event) => {
    const at = point(event);
    if (dragging && at) highlight(otherListAt(at.clientX, at.clientY));
  };
  document.addEventListener("mousemove", track, { passive: true });
  document.addEventListener("touchmove", track, { passive: true });

  const sortable = (list) =>
    Sortable.get(list) ??
    Sortable.create(list, {
      animation: 120,
      // Sortable's own dragging (not the browser's) for mouse and touch alike, so a row can be dropped
      // on the side column and the tests drive what people do; on touch, hold first so the page scrolls.
      forceFallback: true,
      fallbackOnBody: true,
      fallbackTolerance: 4,
      supportPointer: false,
      delay: 200,
      delayOnTouchOnly: true,
      touchStartThreshold: 5,
      filter: ".toggle, button, a, .edit, .editing, .todo-details",
      preventOnFilter: false,
      ghostClass: "drop-placeholder",
      dragClass: "dragging",
      onStart: () => {
        dragging = true;
      },
      onEnd: (event) => {
        dragging = false;
        const at = point(event.originalEvent);
        const to = at ? otherListAt(at.clientX, at.clientY) : null;
        highlight(null);
        const row = event.item;
        if (to) {
          send(row.dataset.url, { list: to.dataset.listId });
        } else if (event.oldIndex !== event.newIndex) {
          // The position of the row it now stands in front of (moved up) or behind (moved down).
          const rows = [...list.children];
          const index = rows.indexOf(row);
          const neighbour = event.newIndex > event.oldIndex ? rows[index - 1] : rows[index + 1];
          send(row.dataset.url, { position: neighbour.dataset.position });
        }
      },
    });

  const bind = (root) => {
    if (root.matches?.("[data-sortable]")) sortable(root);
    root.querySelectorAll?.("[data-sortable]").forEach(sortable);
  };
  bind(document);
  htmx.onLoad(bind);

  app.addEventListener("keydown", (event) => {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    const li = event.target.closest(".todo-list li");
    if (!li || event.target.matches(".edit") || event.target.closest(".todo-details")) return;
    event.preventDefault();
    const button = li.querySelector(event.key === "ArrowUp" ? ".move-up" : ".move-down");
    if (!button.disabled) button.click();
  });
}
