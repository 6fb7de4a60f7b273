"""Pages for lists and todos.

Every write calls a service in todos.services. A write view answers a plain form POST by redirecting
back (errors become messages), and the same POST sent by our JavaScript (a JSON body, or
`Accept: application/json`) with JSON: the changed object as a dict, or `{"errors": {field: [messages]}}`
with status 400. Querysets are always scoped to request.user, so another user's ids answer 404.
"""

import hashlib
import json
from functools import cached_property
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import parse_etags, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.caching import cache_key
from todos import selectors, services
from todos.forms import TodoCreateForm, TodoListCompletedForm, TodoListForm, TodoListSharedForm, TodoUpdateForm
from todos.models import Todo, TodoList

PAGE_SIZE = 100
FILTERS = ("all", "active", "completed")
TODO_FIELDS = ("id", "description", "completed", "position", "list_id")


# Answering HTML forms and JSON requests alike


class BadJSON(Exception):
    pass


class StaleTodo(Exception):
    """The todo changed since the page read it (its `If-Match` version is not the current one)."""

    def __init__(self, todo):
        super().__init__()
        self.todo = todo


class CountedPaginator(Paginator):
    """A Paginator given its count (from an aggregate already run), so it runs no COUNT query."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def wants_json(request):
    return (
        request.content_type == "application/json"
        or request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def request_data(request):
    """The submitted fields: a JSON object body, or the form's POST data."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as error:
        raise BadJSON from error
    if not isinstance(data, dict):
        raise BadJSON
    return data


def add_service_errors(form, error: ValidationError):
    """Attach a service's ValidationError to the form's fields (unknown fields become form-wide errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def form_errors(form):
    return {field: [item["message"] for item in items] for field, items in form.errors.get_json_data().items()}


def field_label(form, field):
    if field not in form.fields:
        return ""
    return form.fields[field].label or field.replace("_", " ").capitalize()


def errors_response(errors):
    return JsonResponse({"errors": errors}, status=HTTPStatus.BAD_REQUEST)


def safe_next(request, default):
    """The `next` the page sent if it points into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def run_form(request, form, action, *, next_url, created=False):
    """Validate `form` and call `action(cleaned_data)`, which returns the JSON answer; then answer.

    JSON requests get the answer (or 400 with the errors); form posts are redirected to `next_url`
    (a string, or a function of the answer), with any errors as messages.
    """
    if form.is_valid():
        try:
            with transaction.atomic():
                answer = action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except Todo.DoesNotExist as error:  # deleted by a concurrent request
            raise Http404("No such todo.") from error
        else:
            if wants_json(request):
                if answer is None:
                    return JsonResponse({}, status=HTTPStatus.OK)
                return JsonResponse(answer, status=HTTPStatus.CREATED if created else HTTPStatus.OK)
            return redirect(next_url(answer) if callable(next_url) else next_url)
    if wants_json(request):
        return errors_response(form_errors(form))
    for field, field_messages in form_errors(form).items():
        label = field_label(form, field)
        for message in field_messages:
            messages.error(request, f"{label}: {message}" if label else message)
    target = next_url(None) if callable(next_url) else next_url
    return redirect(target)


def json_post(view):
    """Turn a malformed JSON body into a 400 answer instead of a 500."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadJSON:
            return errors_response({"__all__": ["Send a JSON object."]})

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# What the pages and the JSON answers show


def todo_version(todo) -> str:
    """A quoted tag of a todo's text and list: the page sends it as `If-Match` with its edits.

    An edit made against text that someone has changed since is refused (412), not applied over it.
    Done/not done is left out: setting it is absolute, and "complete all" would otherwise make every
    version on the page stale at once. Positions are left out too: other todos moving shifts them.
    """
    content = f"{todo.list_id}|{todo.description}"
    return '"' + hashlib.sha256(content.encode()).hexdigest()[:20] + '"'


def todo_as_dict(todo):
    return {
        "id": todo.pk,
        "description": todo.description,
        "completed": todo.completed,
        "position": todo.position,
        "list": todo.list_id,
        "version": todo_version(todo),
    }


def list_as_dict(todo_list):
    """A list with `total_count` and `open_count` (todos.selectors)."""
    return {
        "id": todo_list.pk,
        "name": todo_list.name,
        "url": reverse("list_detail", args=[todo_list.pk]),
        "total_count": todo_list.total_count,
        "open_count": todo_list.open_count,
        "completed_count": todo_list.total_count - todo_list.open_count,
        "is_complete": todo_list.is_complete,
    }


def share_url(request, todo_list):
    """The absolute public Todo-Backend URL of a shared list, or None."""
    if todo_list.share_token is None:
        return None
    return request.build_absolute_uri(reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token}))


def list_with_counts(user, pk):
    todo_list = get_object_or_404(TodoList.objects.for_owner(user).only("id", "name", "version"), pk=pk)
    return selectors.todo_lists_attach_counts(todo_lists=[todo_list])[0]


def owned_list(user, pk):
    return get_object_or_404(TodoList.objects.for_owner(user).only("id", "name", "owner_id"), pk=pk)


def owned_todo(user, pk):
    return get_object_or_404(Todo.objects.for_owner(user).only(*TODO_FIELDS), pk=pk)


# Lists


@login_required
@require_GET
def home(request):
    """Go to the user's first list, creating an "Inbox" when they have none."""
    todo_list = services.todo_list_ensure_inbox(owner=request.user)
    return redirect("list_detail", pk=todo_list.pk)


@login_required
@require_GET
def list_detail(request, pk):
    """The TodoMVC page of one list: a page of its todos (filtered), the footer counts and the side column.

    Three queries whatever the sizes: the lists with their counts (the side column, which also gives
    this list and its footer counts), and one page of todos; the paginator is told the count.
    """
    lists = selectors.todo_lists_attach_counts(
        todo_lists=TodoList.objects.for_owner(request.user).only("id", "name", "share_token", "version")
    )
    todo_list = next((item for item in lists if item.pk == pk), None)
    if todo_list is None:
        raise Http404("No such list.")
    cache_key = None if wants_json(request) else _list_page_key(request, lists)
    if cache_key is not None and (html := caches["pages"].get(cache_key)) is not None:
        return HttpResponse(html)
    current_filter = request.GET.get("filter", "all")
    if current_filter not in FILTERS:
        current_filter = "all"
    todos = Todo.objects.filter(list=todo_list).only(*TODO_FIELDS)
    count = todo_list.total_count
    if current_filter == "active":
        todos, count = todos.filter(completed=False), todo_list.open_count
    elif current_filter == "completed":
        todos, count = todos.filter(completed=True), todo_list.total_count - todo_list.open_count
    page = CountedPaginator(todos, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    if current_filter == "all":
        page.object_list = selectors.todo_list_page_by_position(
            todo_list=todo_list, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        ).only(*TODO_FIELDS)
    page_todos = list(page.object_list)
    _set_move_targets(page_todos, last_position=todo_list.total_count - 1)

    state = {
        "list": list_as_dict(todo_list),
        "lists": [list_as_dict(item) for item in lists],
        "todos": [todo_as_dict(todo) for todo in page_todos],
        "filter": current_filter,
        "page": {
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "count": count,
            "page_size": PAGE_SIZE,
        },
    }
    if wants_json(request):
        return JsonResponse(state)
    response = render(
        request,
        "todos/list_detail.html",
        {
            "todo_list": todo_list,
            "lists": lists,
            "todos": page_todos,
            "page_obj": page,
            "filter": current_filter,
            "filters": [(name, name.capitalize()) for name in FILTERS],
            "share_url": share_url(request, todo_list),
            "state": state,
        },
    )
    if cache_key is not None:
        caches["pages"].set(cache_key, response.content)
    return response


def _list_page_key(request, lists) -> str | None:
    """The cache key of the list page as this request would render it, or None when it must be rendered.

    The page is a function of what the key holds: the person (their id and the name shown), the URL
    (host and scheme for the share link; path and query for the list, filter and page), the CSRF secret
    that the page's tokens are made from, and each of the person's lists with its name, share token
    and `version`, which every change to the list's todos raises (todos.services). Rendering takes
    most of this page's time; with the key, a page already rendered costs the lists query only.
    Pages with messages to show are always rendered (showing them uses them up).
    """
    if len(messages.get_messages(request)):
        return None
    get_token(request)  # as rendering does: the CSRF cookie is sent (and made if missing)
    user = request.user
    return cache_key(
        "list-page",
        user.pk,
        user.get_username(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META["CSRF_COOKIE"],
        *((item.pk, item.name, item.share_token, item.version) for item in lists),
    )


def _set_move_targets(todos, *, last_position):
    """Give each shown todo the positions its "move up" / "move down" buttons ask for (the neighbour's)."""
    for index, todo in enumerate(todos):
        before = todos[index - 1] if index > 0 else None
        after = todos[index + 1] if index + 1 < len(todos) else None
        todo.up_position = before.position if before else (todo.position - 1 if todo.position > 0 else None)
        todo.down_position = after.position if after else (todo.position + 1 if todo.position < last_position else None)


@login_required
@require_POST
@json_post
def list_create(request):
    form = TodoListForm(request_data(request))

    def create(data):
        todo_list = services.todo_list_create(owner=request.user, name=data["name"])
        if not wants_json(request):
            messages.success(request, f"Created the list “{todo_list.name}”.")
        return list_as_dict(list_with_counts(request.user, todo_list.pk))

    return run_form(
        request,
        form,
        create,
        next_url=lambda answer: answer["url"] if answer else safe_next(request, reverse("home")),
        created=True,
    )


@login_required
@require_POST
@json_post
def list_rename(request, pk):
    todo_list = owned_list(request.user, pk)

    def rename(data):
        services.todo_list_rename(todo_list=todo_list, name=data["name"])
        return list_as_dict(list_with_counts(request.user, pk))

    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return run_form(request, TodoListForm(request_data(request)), rename, next_url=next_url)


@login_required
@require_http_methods(["GET", "POST"])
def list_delete(request, pk):
    """Ask for confirmation, then delete the list and its todos and go to another list."""
    todo_list = list_with_counts(request.user, pk)
    deleted_url = reverse("list_detail", args=[pk])
    next_url = safe_next(request, reverse("home"))
    if next_url.split("?")[0] == deleted_url:
        next_url = reverse("home")
    if request.method == "POST":
        services.todo_list_delete(todo_list=todo_list)
        if wants_json(request):
            return JsonResponse({}, status=HTTPStatus.OK)
        messages.success(request, f"Deleted the list “{todo_list.name}”.")
        return redirect(next_url)
    return render(request, "todos/list_confirm_delete.html", {"todo_list": todo_list, "next": next_url})


@login_required
@require_POST
@json_post
def list_set_completed(request, pk):
    """Complete every todo of the list, or reopen them all."""
    todo_list = owned_list(request.user, pk)

    def set_completed(data):
        services.todo_list_set_completed(todo_list=todo_list, completed=data["completed"])
        return list_as_dict(list_with_counts(request.user, pk))

    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return run_form(request, TodoListCompletedForm(request_data(request)), set_completed, next_url=next_url)


@login_required
@require_POST
@json_post
def list_share(request, pk):
    """Create the list's secret Todo-Backend URL (`shared` true) or revoke it (`shared` false)."""
    todo_list = get_object_or_404(TodoList.objects.for_owner(request.user).only("id", "share_token"), pk=pk)

    def share(data):
        services.todo_list_update(todo_list=todo_list, shared=data["shared"])
        if not wants_json(request):
            messages.success(request, "Sharing link created." if data["shared"] else "Sharing link revoked.")
        return {"id": todo_list.pk, "share_url": share_url(request, todo_list)}

    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return run_form(request, TodoListSharedForm(request_data(request)), share, next_url=next_url)


@login_required
@require_POST
def list_clear_completed(request, pk):
    todo_list = owned_list(request.user, pk)
    services.todo_list_clear_completed(todo_list=todo_list)
    if wants_json(request):
        return JsonResponse(list_as_dict(list_with_counts(request.user, pk)))
    return redirect(safe_next(request, reverse("list_detail", args=[pk])))


# Todos


@login_required
@require_POST
@json_post
def todo_create(request, pk):
    """Add a todo at the bottom of the list."""
    todo_list = owned_list(request.user, pk)

    def create(data):
        return todo_as_dict(services.todo_create(todo_list=todo_list, description=data["description"]))

    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return run_form(request, TodoCreateForm(request_data(request)), create, next_url=next_url, created=True)


@login_required
@require_http_methods(["GET", "POST"])
@json_post
def todo_update(request, pk):
    """Change a todo's text, state, position or list. GET shows a form for the text and the list."""
    todo = owned_todo(request.user, pk)
    if request.method == "GET":
        form = TodoUpdateForm(initial={"description": todo.description, "list": todo.list_id}, owner=request.user)
        back = safe_next(request, reverse("list_detail", args=[todo.list_id]))
        return render(request, "todos/todo_form.html", {"todo": todo, "form": form, "next": back})
    form = TodoUpdateForm(request_data(request), owner=request.user)
    next_url = safe_next(request, reverse("list_detail", args=[todo.list_id]))

    if_match = request.headers.get("If-Match")

    def update(data):
        current = todo
        if if_match is not None:
            changes = form.changes()
            to_list = changes.get("todo_list")
            services.todo_lock(todo_id=todo.pk, to_list_id=to_list.pk if to_list else None)
            current = owned_todo(request.user, pk)  # read again under the lock
            if todo_version(current) not in parse_etags(if_match):
                raise StaleTodo(current)
        return todo_as_dict(services.todo_update(todo=current, **form.changes()))

    try:
        return run_form(request, form, update, next_url=next_url)
    except StaleTodo as stale:
        message = "This todo was changed somewhere else (another tab or device); the page now shows the latest version."
        return JsonResponse(
            {"errors": {"__all__": [message]}, "todo": todo_as_dict(stale.todo)},
            status=HTTPStatus.PRECONDITION_FAILED,
        )


@login_required
@require_POST
def todo_delete(request, pk):
    todo = owned_todo(request.user, pk)
    try:
        services.todo_delete(todo=todo)
    except Todo.DoesNotExist as error:  # deleted by a concurrent request
        raise Http404("No such todo.") from error
    if wants_json(request):
        return JsonResponse({}, status=HTTPStatus.OK)
    return redirect(safe_next(request, reverse("list_detail", args=[todo.list_id])))
