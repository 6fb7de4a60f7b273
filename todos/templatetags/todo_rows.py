"""The rows of the TodoMVC list, rendered in Python.

A list page shows up to 100 todos, and the template language spent most of the page's time on them
(about 40 nodes, four URL reversals and a dozen number localizations per row). Here each row is one
`str.format` of ROW in which the only text that is not ours, the description and the page's own URL,
is HTML-escaped once (`format_html` escaped all thirteen values through its lazy wrappers, twice the
time). static/js/todos.js draws a row with the same markup, so change both together.

Every button of a row submits the page's one hidden form `#todo-actions` (CSRF token and `next`)
to the row's own URL through `formaction`, so the page works without JavaScript.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

register = template.Library()

ROW = """<li data-id="{id}" class="{completed_class}">
  <div class="view">
    <input class="toggle" type="checkbox" aria-labelledby="todo-label-{id}"{checked}>
    <label id="todo-label-{id}">{description}</label>
    <button class="destroy" type="submit" form="todo-actions" formaction="{delete_url}"
            aria-label="Delete “{description}”"></button>
    <span class="todo-tools">
      <noscript><button type="submit" form="todo-actions" formaction="{update_url}" name="completed"
                        value="{toggle_to}" class="button button-small todo-toggle-button">{toggle_text}<span
                        class="visually-hidden"> {description}</span></button></noscript>
      <button class="move-up" type="submit" form="todo-actions" formaction="{update_url}" name="position"
              value="{up}" aria-label="Move up" title="Move up (Alt+↑)"{up_disabled}>↑</button>
      <button class="move-down" type="submit" form="todo-actions" formaction="{update_url}" name="position"
              value="{down}" aria-label="Move down" title="Move down (Alt+↓)"{down_disabled}>↓</button>
      <a class="todo-edit-link" href="{update_url}?{next_query}" aria-label="Edit or move “{description}”"
         title="Edit or move to another list">Edit</a>
    </span>
  </div>
  <input class="edit" value="{description}" maxlength="500" aria-label="Edit “{description}”">
</li>
"""


def _url_pattern(name):
    """A URL of `name` with "{}" where the todo's id goes: reversed once per page, not once per row."""
    return reverse(name, args=[0]).replace("/0/", "/{}/")


@register.simple_tag(takes_context=True)
def todo_rows(context, todos):
    """The `<li>` of each todo; each todo carries `up_position` / `down_position` (None at the ends)."""
    update_url, delete_url = _url_pattern("todo_update"), _url_pattern("todo_delete")
    next_query = escape(urlencode({"next": context["request"].get_full_path()}))
    rows = []
    for todo in todos:
        completed, up, down = todo.completed, todo.up_position, todo.down_position
        rows.append(
            ROW.format(
                id=todo.pk,
                description=escape(todo.description),
                completed_class="completed" if completed else "",
                checked=" checked" if completed else "",
                update_url=update_url.format(todo.pk),
                delete_url=delete_url.format(todo.pk),
                toggle_to="false" if completed else "true",
                toggle_text="Undo" if completed else "Done",
                up="" if up is None else up,
                down="" if down is None else down,
                up_disabled=" disabled" if up is None else "",
                down_disabled=" disabled" if down is None else "",
                next_query=next_query,
            )
        )
    return mark_safe("".join(rows))  # every value above is ours, a number, or escaped
