// The list page (TodoMVC) and its side column, upgraded from plain forms to fetch with JSON.
//
// The page keeps the server's answer as `state` and draws from it. Each change is drawn at once,
// then sent; changes are sent one after another, and when the last one is done the page asks the
// server for its state again, so a failed change is reported and the page shows what is saved.
// User text only ever reaches the DOM as text nodes or attributes, never as HTML.

import { requestJSON } from "./http.js";
import { showError } from "./alerts.js";

const FILTERS = ["all", "active", "completed"];
const FOCUSABLE = [".toggle", ".move-up", ".move-down", ".destroy", ".todo-edit-link", ".edit"];

const app = document.querySelector("[data-todoapp]");
if (app) start(app);

/** Build an element: properties (aria-*, for and data via `dataset` become attributes), then text or child nodes. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("aria-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

function start(app) {
  const urls = app.dataset;
  const urlFor = (template, id) => template.replace("/0/", `/${id}/`);
  let state = JSON.parse(document.getElementById("todoapp-state").textContent);

  const newTodoForm = app.querySelector("[data-new-todo-form]");
  const newTodo = app.querySelector(".new-todo");
  const main = app.querySelector(".main");
  const toggleAll = app.querySelector("#toggle-all");
  const list = app.querySelector(".todo-list");
  const footer = app.querySelector(".footer");
  const todoCount = footer.querySelector(".todo-count");
  const clearCompleted = footer.querySelector(".clear-completed");
  const pagination = app.querySelector("[data-pagination]");
  const sidebar = document.querySelector("[data-sidebar]");
  const lists = sidebar.querySelector("[data-lists]");
  const newListForm = sidebar.querySelector("[data-new-list-form]");
  const title = document.querySelector("[data-list-title]");
  const renameForm = document.querySelector("[data-rename-form]");

  let queue = Promise.resolve();
  let pending = 0;
  let started = 0; // changes started so far: an answer asked for before the latest change is stale
  let editing = null; // id of the todo being edited
  let stale = false; // the server's state arrived while editing; draw it afterwards
  let dragged = null;
  let newIds = 0;
  const savedIds = new Map(); // id of a todo drawn before the server answered -> its real id

  // State

  const find = (id) => {
    const keys = [String(id), String(savedIds.get(String(id)))];
    return state.todos.find((todo) => keys.includes(String(todo.id)));
  };
  const realId = (id) => (typeof id === "number" || /^\d+$/.test(id) ? id : (savedIds.get(id) ?? null));
  const stateUrl = () => `${urls.listUrl}?filter=${state.filter}&page=${state.page.number}`;

  function visibleTodos() {
    return state.todos.filter((todo) => state.filter === "all" || (state.filter === "active") !== todo.completed);
  }

  /** Change a list's counts by the given amounts, in the footer's copy and the side column's. */
  function recount(listId, total, open) {
    const copies = state.lists.filter((item) => item.id === listId);
    if (listId === state.list.id) copies.push(state.list);
    for (const counts of copies) {
      counts.total_count += total;
      counts.open_count += open;
      counts.completed_count = counts.total_count - counts.open_count;
      counts.is_complete = counts.total_count > 0 && counts.open_count === 0;
    }
  }

  function countsOf(listId) {
    return listId === state.list.id ? state.list : state.lists.find((item) => item.id === listId);
  }

  // Sending changes

  let refreshing = 0;
  const showBusy = () => app.setAttribute("aria-busy", String(pending + refreshing > 0));

  function enqueue(task) {
    pending += 1;
    started += 1;
    showBusy();
    queue = queue
      .then(task)
      .catch((error) => showError(error.message || "Something went wrong; the page shows what is saved."))
      .finally(() => {
        pending -= 1;
        if (pending === 0) refresh();
        showBusy();
      });
  }

  async function refresh() {
    const requested = stateUrl();
    const changesBefore = started;
    let data;
    refreshing += 1;
    showBusy();
    try {
      data = await requestJSON(requested, { method: "GET" });
    } catch (error) {
      showError(error.message);
      return;
    } finally {
      refreshing -= 1;
      showBusy();
    }
    // A change was made or another page asked for meanwhile: that one refreshes again.
    if (pending > 0 || started !== changesBefore || requested !== stateUrl()) return;
    state = data;
    render();
  }

  /**
   * Send a change of one todo. An edit of its text or state is `conditional`: it carries the version
   * the page last had, so a change made meanwhile elsewhere answers 412 instead of being overwritten
   * (the error is shown and the page then redraws the server's state).
   */
  function sendTodo(id, body, { conditional = false } = {}) {
    enqueue(async () => {
      const saved = realId(id);
      if (saved === null) return;
      const ifMatch = conditional ? find(id)?.version : undefined;
      const answer = await requestJSON(urlFor(urls.todoUrl, saved), { body, ifMatch });
      const todo = find(id);
      if (todo && answer?.version) todo.version = answer.version;
    });
  }

  // Drawing

  function render() {
    if (editing !== null) {
      stale = true;
      return;
    }
    stale = false;
    const focus = rememberFocus();
    const counts = state.list;
    main.hidden = counts.total_count === 0;
    footer.hidden = counts.total_count === 0;
    toggleAll.checked = counts.is_complete;
    todoCount.replaceChildren(
      el("strong", {}, String(counts.open_count)),
      ` item${counts.open_count === 1 ? "" : "s"} left`,
    );
    clearCompleted.hidden = counts.completed_count === 0;
    for (const link of footer.querySelectorAll("[data-filter]")) {
      const selected = link.dataset.filter === state.filter;
      link.classList.toggle("selected", selected);
      if (selected) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    renderTodos();
    renderPagination();
    renderSidebar();
    title.textContent = state.list.name;
    document.title = `${state.list.name} · todoproject`;
    if (renameForm && document.activeElement !== renameForm.elements.name) {
      renameForm.elements.name.value = state.list.name;
    }
    restoreFocus(focus);
  }

  /** Update the todo's row in place (or make one), so focus and a pointer on it stay on the same todo. */
  function todoItem(todo, before, after, existing) {
    const li = existing ?? newTodoItem();
    const labelId = `todo-label-${todo.id}`;
    const last = state.list.total_count - 1;
    const up = before ? before.position : todo.position > 0 ? todo.position - 1 : null;
    const down = after ? after.position : todo.position < last ? todo.position + 1 : null;
    const here = encodeURIComponent(location.pathname + location.search);
    li.dataset.id = todo.id;
    li.className = todo.completed ? "completed" : "";
    const toggle = li.querySelector(".toggle");
    toggle.checked = todo.completed;
    toggle.setAttribute("aria-labelledby", labelId);
    const label = li.querySelector(".view label");
    label.id = labelId;
    if (label.textContent !== todo.description) label.textContent = todo.description;
    li.querySelector(".destroy").setAttribute("aria-label", `Delete “${todo.description}”`);
    setMoveButton(li.querySelector(".move-up"), up);
    setMoveButton(li.querySelector(".move-down"), down);
    const editLink = li.querySelector(".todo-edit-link");
    editLink.href = `${urlFor(urls.todoUrl, todo.id)}?next=${here}`;
    editLink.setAttribute("aria-label", `Edit or move “${todo.description}”`);
    const edit = li.querySelector(".edit");
    edit.value = todo.description;
    edit.setAttribute("aria-label", `Edit “${todo.description}”`);
    return li;
  }

  function newTodoItem() {
    return el(
      "li",
      { draggable: true },
      el(
        "div",
        { className: "view" },
        el("input", { className: "toggle", type: "checkbox" }),
        el("label"),
        el("button", { className: "destroy", type: "button" }),
        el(
          "span",
          { className: "todo-tools" },
          moveButton("move-up", "↑", "Move up (Alt+↑)"),
          moveButton("move-down", "↓", "Move down (Alt+↓)"),
          el("a", { className: "todo-edit-link", title: "Edit or move to another list" }, "Edit"),
        ),
      ),
      el("input", { className: "edit", maxLength: 500 }),
    );
  }

  function setMoveButton(button, position) {
    button.disabled = position === null;
    button.dataset.position = position ?? "";
  }

  function renderTodos() {
    const todos = visibleTodos();
    const rows = new Map([...list.children].map((li) => [String(savedIds.get(li.dataset.id) ?? li.dataset.id), li]));
    const wanted = todos.map((todo, index) => {
      const key = String(todo.id);
      const li = todoItem(todo, todos[index - 1], todos[index + 1], rows.get(key));
      rows.delete(key);
      return li;
    });
    for (const li of rows.values()) li.remove();
    wanted.forEach((li, index) => {
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
    });
  }

  function moveButton(className, text, label) {
    return el(
      "button",
      { className, type: "button", title: label, "aria-label": label.replace(/ \(.*\)$/, "") },
      text,
    );
  }

  function renderPagination() {
    const { number, num_pages: pages } = state.page;
    pagination.hidden = pages < 2;
    const setLink = (link, page) => {
      if (page >= 1 && page <= pages) {
        link.href = `?filter=${state.filter}&page=${page}`;
        link.removeAttribute("aria-disabled");
      } else {
        link.removeAttribute("href");
        link.setAttribute("aria-disabled", "true");
      }
    };
    setLink(pagination.querySelector("[data-page-previous]"), number - 1);
    setLink(pagination.querySelector("[data-page-next]"), number + 1);
    pagination.querySelector("[data-page-label]").textContent = `Page ${number} of ${pages}`;
  }

  function renderSidebar() {
    const here = encodeURIComponent(location.pathname + location.search);
    lists.replaceChildren(
      ...state.lists.map((item) => {
        const current = item.id === state.list.id;
        const link = el("a", { className: "list-link", href: item.url }, item.name);
        if (current) link.setAttribute("aria-current", "page");
        return el(
          "li",
          { className: `list-item${current ? " current" : ""}`, dataset: { listId: item.id } },
          el("input", {
            type: "checkbox",
            className: "list-complete",
            id: `list-complete-${item.id}`,
            checked: item.is_complete,
            disabled: item.total_count === 0,
            "aria-label": `Complete every todo in “${item.name}”`,
          }),
          link,
          el(
            "span",
            { className: "list-count", title: "Open todos" },
            el("span", { className: "visually-hidden" }, "Open todos: "),
            String(item.open_count),
          ),
          el(
            "a",
            {
              className: "list-delete",
              href: `${urlFor(urls.listDeleteUrl, item.id)}?next=${here}`,
              title: "Delete list",
              "aria-label": `Delete list “${item.name}”`,
            },
            "×",
          ),
        );
      }),
    );
  }

  function rememberFocus() {
    const active = document.activeElement;
    if (!active || !list.contains(active)) return null;
    const li = active.closest("li");
    const selector = FOCUSABLE.find((candidate) => active.matches(candidate));
    return { id: li.dataset.id, index: [...list.children].indexOf(li), selector };
  }

  function restoreFocus(focus) {
    if (!focus || list.contains(document.activeElement)) return;
    const id = String(savedIds.get(focus.id) ?? focus.id);
    const items = [...list.children];
    const li = items.find((item) => item.dataset.id === id) ?? items[Math.min(focus.index, items.length - 1)];
    if (!li) {
      newTodo.focus();
      return;
    }
    let target = li.dataset.id === id && focus.selector ? li.querySelector(focus.selector) : null;
    if (!target || target.disabled || target.matches(".edit")) target = li.querySelector(".toggle");
    target.focus();
  }

  // Changes

  function setCompleted(todo, completed) {
    if (todo.completed === completed) return;
    todo.completed = completed;
    recount(state.list.id, 0, completed ? -1 : 1);
  }

  function setListCompleted(listId, completed) {
    const counts = countsOf(listId);
    if (!counts) return;
    if (listId === state.list.id) state.todos.forEach((todo) => (todo.completed = completed));
    recount(listId, 0, (completed ? 0 : counts.total_count) - counts.open_count);
    render();
    enqueue(() => requestJSON(urlFor(urls.listCompleteUrl, listId), { body: { completed } }));
  }

  function removeTodo(id) {
    const todo = find(id);
    if (!todo) return;
    state.todos = state.todos.filter((item) => item !== todo);
    recount(state.list.id, -1, todo.completed ? 0 : -1);
    render();
    enqueue(async () => {
      const saved = realId(id);
      if (saved !== null) await requestJSON(urlFor(urls.todoDeleteUrl, saved));
    });
  }

  /** Put the todo at `position` in its list, shifting the ones between as the server does. */
  function moveTodo(id, position) {
    const todo = find(id);
    if (!todo || !Number.isInteger(position) || position === todo.position) return;
    const current = todo.position;
    for (const other of state.todos) {
      if (position < current && other.position >= position && other.position < current) other.position += 1;
      if (position > current && other.position > current && other.position <= position) other.position -= 1;
    }
    todo.position = position;
    state.todos.sort((a, b) => a.position - b.position);
    render();
    sendTodo(id, { position });
  }

  function moveToList(id, listId) {
    const todo = find(id);
    if (!todo || listId === state.list.id || !countsOf(listId)) return;
    state.todos = state.todos.filter((item) => item !== todo);
    recount(state.list.id, -1, todo.completed ? 0 : -1);
    recount(listId, 1, todo.completed ? 0 : 1);
    render();
    sendTodo(id, { list: listId });
  }

  function startEdit(li) {
    const todo = find(li.dataset.id);
    if (!todo) return;
    editing = li.dataset.id;
    li.classList.add("editing");
    const input = li.querySelector(".edit");
    input.value = todo.description;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  function finishEdit(input, save) {
    const id = input.closest("li").dataset.id;
    if (editing !== id) return; // already finished: Enter or Escape, then the blur that follows
    editing = null;
    const todo = find(id);
    const description = input.value.trim();
    if (save && todo && !description) {
      removeTodo(id);
      return;
    }
    if (save && todo && description !== todo.description) {
      todo.description = description;
      sendTodo(id, { description }, { conditional: true });
    }
    render();
  }

  // Events

  newTodoForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const description = newTodo.value.trim();
    newTodo.value = "";
    if (!description) return;
    newIds += 1;
    const id = `new-${newIds}`;
    state.todos.push({ id, description, completed: false, position: state.list.total_count, list: state.list.id });
    recount(state.list.id, 1, 1);
    render();
    enqueue(async () => {
      const created = await requestJSON(urls.todoCreateUrl, { body: { description } });
      savedIds.set(id, created.id);
      const todo = find(id);
      if (todo) todo.version = created.version;
    });
  });

  toggleAll.addEventListener("change", () => setListCompleted(state.list.id, toggleAll.checked));

  list.addEventListener("change", (event) => {
    if (!event.target.matches(".toggle")) return;
    const id = event.target.closest("li").dataset.id;
    const todo = find(id);
    if (!todo) return;
    setCompleted(todo, event.target.checked);
    render();
    sendTodo(id, { completed: todo.completed }, { conditional: true });
  });

  list.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    const id = button.closest("li").dataset.id;
    // The server-drawn buttons also submit the page's #todo-actions form (for no JavaScript): not here.
    if (button.matches(".destroy, .move-up, .move-down")) event.preventDefault();
    if (button.matches(".destroy")) removeTodo(id);
    else if (button.matches(".move-up, .move-down")) moveTodo(id, Number.parseInt(button.dataset.position, 10));
  });

  list.addEventListener("dblclick", (event) => {
    const label = event.target.closest(".view label");
    if (label) startEdit(label.closest("li"));
  });

  list.addEventListener("keydown", (event) => {
    if (event.target.matches(".edit")) {
      if (event.key === "Enter") finishEdit(event.target, true);
      else if (event.key === "Escape") finishEdit(event.target, false);
      return;
    }
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      const li = event.target.closest("li");
      const button = li?.querySelector(event.key === "ArrowUp" ? ".move-up" : ".move-down");
      if (!button) return;
      event.preventDefault();
      if (!button.disabled) moveTodo(li.dataset.id, Number.parseInt(button.dataset.position, 10));
    }
  });

  list.addEventListener("focusout", (event) => {
    if (event.target.matches(".edit")) finishEdit(event.target, true);
  });

  clearCompleted.form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.todos = state.todos.filter((todo) => !todo.completed);
    recount(state.list.id, -state.list.completed_count, 0);
    render();
    enqueue(() => requestJSON(urls.clearCompletedUrl));
  });

  function go(url) {
    const params = new URL(url, location.href).searchParams;
    state.filter = FILTERS.includes(params.get("filter")) ? params.get("filter") : "all";
    state.page.number = Number.parseInt(params.get("page"), 10) || 1;
    render(); // the filter applies at once to what is shown; the server's page follows
    refresh();
  }

  const plainClick = (event) => event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey;

  for (const links of [footer.querySelector(".filters"), pagination]) {
    links.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      if (!link || !plainClick(event)) return;
      event.preventDefault();
      history.pushState(null, "", link.href);
      go(link.href);
    });
  }

  window.addEventListener("popstate", () => go(location.href));

  // Drag a todo onto another todo to reorder, or onto a list in the side column to move it there.

  list.addEventListener("dragstart", (event) => {
    const li = event.target.closest?.("li");
    if (!li || editing !== null) return;
    dragged = li.dataset.id;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", find(dragged)?.description ?? "");
  });

  list.addEventListener("dragover", (event) => {
    const li = event.target.closest("li");
    if (dragged === null || !li) return;
    event.preventDefault();
    for (const item of list.children) item.classList.toggle("drop-target", item === li && li.dataset.id !== dragged);
  });

  list.addEventListener("drop", (event) => {
    const li = event.target.closest("li");
    const target = li && find(li.dataset.id);
    if (dragged === null || !target) return;
    event.preventDefault();
    if (li.dataset.id !== dragged) moveTodo(dragged, target.position);
  });

  lists.addEventListener("dragover", (event) => {
    const li = event.target.closest("li[data-list-id]");
    if (dragged === null || !li) return;
    const other = Number(li.dataset.listId) !== state.list.id;
    if (other) event.preventDefault();
    for (const item of lists.children) item.classList.toggle("drop-target", other && item === li);
  });

  lists.addEventListener("drop", (event) => {
    const li = event.target.closest("li[data-list-id]");
    if (dragged === null || !li) return;
    event.preventDefault();
    moveToList(dragged, Number(li.dataset.listId));
  });

  document.addEventListener("dragend", () => {
    dragged = null;
    for (const item of document.querySelectorAll(".dragging, .drop-target")) {
      item.classList.remove("dragging", "drop-target");
    }
  });

  // The side column and the list's name

  lists.addEventListener("change", (event) => {
    if (!event.target.matches(".list-complete")) return;
    setListCompleted(Number(event.target.closest("li").dataset.listId), event.target.checked);
  });

  newListForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = newListForm.elements.name;
    const name = input.value.trim();
    input.value = "";
    if (!name) return;
    enqueue(() => requestJSON(newListForm.action, { body: { name } }));
  });

  renameForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = renameForm.elements.name.value.trim();
    renameForm.closest("details")?.removeAttribute("open");
    if (name) {
      state.list.name = name;
      for (const item of state.lists) if (item.id === state.list.id) item.name = name;
    }
    render();
    enqueue(() => requestJSON(renameForm.action, { body: { name } }));
  });

  render();
  showBusy();
}
