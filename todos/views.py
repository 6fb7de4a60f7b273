"""Pages for lists and todos, and the fragments of them that htmx swaps in.

Every write calls a service in todos.services. A plain form POST (no JavaScript) is answered with a
redirect back, its errors as messages. The same POST sent by htmx (`request.htmx`) is answered with
the parts of the page it changed, rendered by the named partials of todos/list_detail.html that also
render the whole page: the part it changed (the server names it with `HX-Retarget`), then the parts
that follow from it as out-of-band swaps (counts, the side column). A refused write answers 422 with
the error next to what failed; an edit of a todo changed elsewhere meanwhile answers 412 with its
latest version. Querysets are always scoped to request.user, so another user's ids answer 404.
"""

import datetime
import hashlib
from http import HTTPStatus
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from core import humanize, notices
from core.caching import cached, etag
from todos import quickadd, selectors, services
from todos.forms import (
    DESCRIPTION_MAX_LENGTH,
    SearchForm,
    TodoCreateForm,
    TodoListCompletedForm,
    TodoListForm,
    TodoListSharedForm,
    TodoUpdateForm,
)
from todos.models import Todo, TodoList, UndoAction

PAGE_SIZE = 100
FILTERS = ("all", "active", "completed")
PAGE = "todos/list_detail.html"
STALE_MESSAGE = "This todo was changed somewhere else (another tab or device); the page now shows the latest version."


class StaleTodo(Exception):
    """The todo changed since the page read it (its `If-Match` version is not the current one)."""

    def __init__(self, todo):
        super().__init__()
        self.todo = todo


def todo_version(todo) -> str:
    """A quoted tag of what the page lets a person edit of a todo: the page sends it as `If-Match` with its edits.

    An edit made against a todo that someone has changed since (its text, list, due date and time,
    priority, notes or labels: the details panel sends them all) is refused (412), not applied over it.
    Done/not done is left out: setting it is absolute, and "complete all" would otherwise make every
    version on the page stale at once. Positions are left out too: other todos moving shifts them.
    """
    labels = ",".join(str(label.pk) for label in todo.labels.all())
    content = "|".join(
        map(str, (todo.list_id, todo.description, todo.due_date, todo.due_time, todo.priority, todo.notes, labels))
    )
    return '"' + hashlib.sha256(content.encode()).hexdigest()[:20] + '"'


def share_url(request, todo_list):
    """The absolute public Todo-Backend URL of a shared list, or None."""
    if todo_list.share_token is None:
        return None
    return request.build_absolute_uri(reverse("api:todobackend-root", kwargs={"secret": todo_list.share_token}))


def safe_next(request, default):
    """The `next` the page sent if it points into this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def owned_lists(user):
    return TodoList.objects.for_owner(user)


def owned_list(user, pk):
    return get_object_or_404(TodoList.objects.for_owner(user).only("id", "name", "owner_id"), pk=pk)


def owned_todo(user, pk):
    return get_object_or_404(Todo.objects.for_owner(user), pk=pk)


# Validating and saving


def add_service_errors(form, error: ValidationError):
    """Attach a service's ValidationError to the form's fields (unknown fields become form-wide errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


def save(form, action):
    """Validate `form`, then run `action(cleaned_data)` in one transaction: (True, its answer), or (False, None)
    with the service's errors added to the form."""
    if not form.is_valid():
        return False, None
    try:
        with transaction.atomic():
            return True, action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    except Todo.DoesNotExist as error:  # deleted by a concurrent request
        raise Http404("No such todo.") from error
    return False, None


def error_messages(form):
    """Each error of the form as a sentence, prefixed with its field's label."""
    for field, errors in form.errors.items():
        label = (form.fields[field].label or field.replace("_", " ").capitalize()) if field in form.fields else ""
        for message in errors:
            yield f"{label}: {message}" if label else message


def field_error(form, field):
    return " ".join(form.errors.get(field) or form.errors.get("__all__") or list(error_messages(form))[:1])


FIELD_ERRORS = "list_page_field_errors"  # session key: a refused field's message for the list page to show


def redirect_with_field_error(request, form, field, *, slot, next_url):
    """The no-JavaScript answer to a refused field of the list page: back to the page, which shows the message
    under that field (its `slot`: "new_todo", "new_list" or "rename"), as the htmx answer does."""
    request.session[FIELD_ERRORS] = {slot: field_error(form, field)}
    return redirect(next_url)


def redirect_with_errors(request, form, next_url):
    """The no-JavaScript answer to a refused form: back where it came from, the errors as messages."""
    for message in error_messages(form):
        messages.error(request, message)
    return redirect(next_url)


# The page and its parts


def _prepare_rows(todos, *, last_position):
    """Give each shown todo its version and the positions its "move up" / "move down" buttons ask for."""
    for index, todo in enumerate(todos):
        before = todos[index - 1] if index > 0 else None
        after = todos[index + 1] if index + 1 < len(todos) else None
        todo.version = todo_version(todo)
        todo.up_position = before.position if before else (todo.position - 1 if todo.position > 0 else None)
        todo.down_position = after.position if after else (todo.position + 1 if todo.position < last_position else None)


def empty_state(todo_list, current_filter) -> str:
    """Which empty state the list page shows: "list" (no todos at all), "active" (under Active, none open),
    "completed" (under Completed, none done), or "" (todos to show). From the list's counts: no query."""
    if not todo_list.total_count:
        return "list"
    if current_filter == "active" and not todo_list.open_count:
        return "active"
    if current_filter == "completed" and todo_list.open_count == todo_list.total_count:
        return "completed"
    return ""


def page_context(request, *, lists, todo_list, query, here, with_todos=True):
    """What the list page's template (and each of its partials) is given.

    `lists` carry their counts (todos.selectors); `query` is the page's query string (filter and
    page number); `here` the page's own URL, which its forms send back as `next`.
    """
    current_filter = query.get("filter", "all")
    if current_filter not in FILTERS:
        current_filter = "all"
    context = {
        "todo_list": todo_list,
        "lists": lists,
        "filter": current_filter,
        "filters": [(name, name.capitalize()) for name in FILTERS],
        "share_url": share_url(request, todo_list),
        "here": here,
        "empty": empty_state(todo_list, current_filter),
    }
    if not with_todos:
        return context
    todos = Todo.objects.filter(list=todo_list).with_labels()
    if current_filter == "active":
        todos = todos.filter(completed=False)
    elif current_filter == "completed":
        todos = todos.filter(completed=True)
    page = Paginator(todos, PAGE_SIZE).get_page(query.get("page"))
    if current_filter == "all":
        page.object_list = selectors.todo_list_page_by_position(
            todo_list=todo_list, offset=(page.number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    page_todos = list(page.object_list)
    _prepare_rows(page_todos, last_position=todo_list.total_count - 1)
    return context | {"todos": page_todos, "page_obj": page}


def _page_inputs(request, lists, labels=()) -> tuple:
    """Everything the list page is a function of: its cache key and its ETag.

    The template is given the person (their id and the name shown), the URL (host and scheme for the
    share link; path and query for the list, filter and page), the CSRF secret that its tokens are
    made from, the active time zone, its date (which todos are overdue) and its minute (a due time
    passing turns a row's "Today 09:00" into "Overdue"), and `lists`: each of the
    person's lists with its name, share token and `version`, which every change to the list's todos
    (and to the labels they carry) raises (todos.services), so its counts and todos are covered too,
    and those of the side column's smart views (which the date also changes); and the person's `labels`
    as the side column shows them (a label's name and colour change no list).
    """
    get_token(request)  # as rendering does: the CSRF cookie is sent (and made if missing)
    user = request.user
    return (
        user.pk,
        user.get_username(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META["CSRF_COOKIE"],
        timezone.get_current_timezone_name(),  # the person's (accounts.middleware): dates are shown in it
        timezone.localdate(),  # rows due before it are marked overdue
        # Rows say their due date for people ("Today 09:00" turns "Overdue" at 09:00): the local minute.
        timezone.localtime().replace(second=0, microsecond=0),
        *((item.pk, item.name, item.share_token, item.version) for item in lists),
        tuple((label.pk, label.name, label.colour) for label in labels),
    )


def _render_page(request, lists, todo_list, labels=(), field_errors=None):
    selectors.todo_lists_attach_counts(todo_lists=lists)
    context = page_context(request, lists=lists, todo_list=todo_list, query=request.GET, here=request.get_full_path())
    context |= side_views(request.user, lists=lists, labels=labels)
    context["field_errors"] = field_errors or {}
    return render(request, PAGE, context)


def page_of(request, lists, *, default):
    """The list page an htmx request was sent from: (its list, its query, its URL).

    When the request names no page of one of the person's lists, the page of list `default`.
    """
    by_pk = {item.pk: item for item in lists}
    split = urlsplit(request.htmx.current_url_abs_path or "")
    try:
        match = resolve(split.path)
    except Resolver404:
        match = None
    if match and match.url_name == "list_detail" and match.kwargs["pk"] in by_pk:
        return (
            by_pk[match.kwargs["pk"]],
            QueryDict(split.query),
            f"{split.path}?{split.query}" if split.query else split.path,
        )
    return by_pk.get(default), QueryDict(), reverse("list_detail", args=[default])


def fragments(
    request,
    *,
    about: int,
    primary: str,
    row=None,
    changed=(),
    heading=False,
    error_id="",
    error="",
    cleared_error="",
    alert="",
    notice=None,
    announce="",
    edit_error="",
    edit_value="",
    status=HTTPStatus.OK,
):
    """The answer to a write sent by htmx from the page of list `about` (or of the list the page shows).

    `primary` names the part that answers, swapped where the request came from: "row" (the todo `row`),
    "main" (the todos shown), "side-item" (list `about` in the side column), "side-lists", "heading",
    "error" (the message `error` in the element `error_id`) or "none". Then, out of band: the lists in
    `changed` in the side column and, when the page shows one of them, its todos and counts; the heading;
    `cleared_error` emptied; the error `alert`, else `notice` (core.notices), in the page's notice region,
    replacing what it showed; and `announce` said to screen readers. With `edit_error`, the row is drawn
    being edited, holding `edit_value` (what was sent) with the message under it.
    """
    if alert:
        notice = notices.notice(request, text=alert, level="error")
    sent_from = smart_view_sent_from(request)
    if sent_from is not None:  # sent from a smart view, not a list page: redraw that view
        return smart_fragment(request, sent_from, status=status, notice=notice, announce=announce)
    lists = selectors.todo_lists_attach_counts(todo_lists=owned_lists(request.user))
    todo_list, query, here = page_of(request, lists, default=about)
    if todo_list is None:  # the page's list is gone: show what there is
        response = HttpResponse(status=status)
        response["HX-Redirect"] = reverse("home")
        return response
    if primary == "row" and (row.list_id != todo_list.pk or query.get("filter", "all") != "all"):
        primary = "main"  # gone from this page, or (under a filter) its neighbours may have changed: redraw them all
    oob_main = todo_list.pk in changed and primary not in ("main", "row")
    context = page_context(
        request, lists=lists, todo_list=todo_list, query=query, here=here, with_todos=primary == "main" or oob_main
    )
    if primary == "row":
        _prepare_rows([row], last_position=todo_list.total_count - 1)
    by_pk = {item.pk: item for item in lists}
    targets = {
        "row": f"#todo-{row.pk}" if row is not None else "",
        "main": "#todo-main",
        "side-item": f"#side-list-{about}",
        "side-lists": "#side-lists",
        "heading": "#list-heading",
        "error": f"#{error_id}",
    }
    context |= {
        "primary": primary,
        "row": row,
        "side_item": by_pk.get(about),
        "oob_main": oob_main,
        "oob_counts": oob_main or primary in ("main", "row"),
        "oob_heading": heading and primary != "heading",
        "side_items": [by_pk[pk] for pk in dict.fromkeys(changed) if pk in by_pk and primary != "side-lists"],
        "error_id": error_id,
        "error": error,
        "cleared_error": cleared_error,
        "notice": notice,
        "oob_notice": notice is not None,
        "announce": announce,
        "edit_pk": row.pk if edit_error else None,
        "edit_error": edit_error,
        "edit_value": edit_value,
    }
    if primary == "side-item":
        context["side_items"] = [item for item in context["side_items"] if item.pk != about]
    if changed:  # the side column's smart view counts follow the todos
        context |= side_views(request.user, lists=lists, labels=selectors.owner_labels(owner=request.user))
    response = render(request, f"{PAGE}#changes", context, status=status)
    if primary == "none":
        return reswap(response, "none")
    return reswap(retarget(response, targets[primary]), "outerHTML")


def refused_field(request, form, field, *, about, error_id):
    """The 422 an htmx write gets when `field` was refused: its message in the element `error_id`, beside it."""
    return fragments(
        request,
        about=about,
        primary="error",
        error_id=error_id,
        error=field_error(form, field),
        status=HTTPStatus.UNPROCESSABLE_ENTITY,
    )


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

    Its cache key and ETag are made from the person's lists and labels as two queries read them: a page
    the browser already has answers 304, one this process has rendered is sent again. Else more queries
    whatever the sizes: the lists' counts and the side column's smart view and label counts (when not
    cached), the COUNT and one page of todos.
    Pages with a notice to show (messages, which showing uses up, or a pending Undo: core.notices) or a
    refused field's message are always rendered, so none is kept in the cache or answered by a 304.
    """
    lists = list(owned_lists(request.user))
    todo_list = next((item for item in lists if item.pk == pk), None)
    if todo_list is None:
        raise Http404("No such list.")
    labels = selectors.owner_labels(owner=request.user)
    field_errors = request.session.pop(FIELD_ERRORS, None)  # a refused field's message, shown once
    if field_errors or len(messages.get_messages(request)) or notices.pending_undo(request):
        return _render_page(request, lists, todo_list, labels, field_errors)
    inputs = _page_inputs(request, lists, labels)
    tag = etag("list-page", *inputs)
    if tag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        page = cached("list-page", inputs, lambda: _render_page(request, lists, todo_list, labels).content)
        response = HttpResponse(page)
    response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_POST
def list_create(request):
    """Create a list and open it: a redirect to its page, or, sent by htmx, `HX-Redirect` there (the browser
    loads the new page, whose new-todo field has the focus)."""
    form = TodoListForm(request.POST)
    ok, todo_list = save(form, lambda data: services.todo_list_create(owner=request.user, name=data["name"]))
    if not ok:
        if request.htmx:
            return refused_field(request, form, "name", about=0, error_id="new-list-error")
        next_url = safe_next(request, reverse("home"))
        return redirect_with_field_error(request, form, "name", slot="new_list", next_url=next_url)
    messages.success(request, f"Created the list “{todo_list.name}”.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("list_detail", args=[todo_list.pk]))
    return redirect("list_detail", pk=todo_list.pk)


@login_required
@require_POST
def list_rename(request, pk):
    todo_list = owned_list(request.user, pk)
    form = TodoListForm(request.POST)
    ok, _ = save(form, lambda data: services.todo_list_rename(todo_list=todo_list, name=data["name"]))
    if request.htmx:
        if not ok:
            return refused_field(request, form, "name", about=pk, error_id="rename-error")
        return fragments(request, about=pk, primary="heading", changed=[pk])
    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return (
        redirect(next_url) if ok else redirect_with_field_error(request, form, "name", slot="rename", next_url=next_url)
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_delete(request, pk):
    """Delete the list and its todos at once, offering Undo (no "are you sure?"), and go back to the page
    it was deleted from, or to another list when that page was its own.

    GET deletes nothing: it goes to the list (links to the confirmation page this replaced may still be
    on pages people have open).
    """
    todo_list = owned_list(request.user, pk)
    if request.method == "GET":
        return redirect("list_detail", pk=pk)
    try:
        undo = services.todo_list_delete_undoable(todo_list=todo_list, by=request.user)
    except TodoList.DoesNotExist as error:  # deleted by a concurrent request
        raise Http404("No such list.") from error
    offer_undo(request, undo)
    if request.htmx:  # from the list's own page, fragments() sends the page home (HX-Redirect)
        return fragments(request, about=pk, primary="side-lists", notice=notices.notice(request))
    next_url = safe_next(request, reverse("home"))
    if next_url.split("?")[0] == reverse("list_detail", args=[pk]):
        next_url = reverse("home")
    return redirect(next_url)


@login_required
@require_POST
def list_set_completed(request, pk):
    """Complete every todo of the list, or reopen them all, offering Undo."""
    todo_list = owned_list(request.user, pk)
    form = TodoListCompletedForm(request.POST)

    def set_completed(data):
        completed = data["completed"]
        return services.todo_list_set_completed_undoable(todo_list=todo_list, completed=completed, by=request.user)

    ok, undo = save(form, set_completed)
    offer_undo(request, undo)
    if request.htmx:
        if not ok:
            alert = " ".join(error_messages(form))
            return fragments(
                request, about=pk, primary="side-item", alert=alert, status=HTTPStatus.UNPROCESSABLE_ENTITY
            )
        notice = notices.notice(request) if undo else None
        return fragments(request, about=pk, primary="side-item", changed=[pk], notice=notice)
    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    return redirect(next_url) if ok else redirect_with_errors(request, form, next_url)


@login_required
@require_POST
def list_share(request, pk):
    """Create the list's secret Todo-Backend URL (`shared` true) or revoke it (`shared` false)."""
    todo_list = get_object_or_404(TodoList.objects.for_owner(request.user).only("id", "share_token"), pk=pk)
    form = TodoListSharedForm(request.POST)
    ok, _ = save(form, lambda data: services.todo_list_update(todo_list=todo_list, shared=data["shared"]))
    if request.htmx:
        if not ok:
            alert = " ".join(error_messages(form))
            return fragments(request, about=pk, primary="heading", alert=alert, status=HTTPStatus.UNPROCESSABLE_ENTITY)
        return fragments(request, about=pk, primary="heading")
    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    if not ok:
        return redirect_with_errors(request, form, next_url)
    messages.success(request, "Sharing link created." if form.cleaned_data["shared"] else "Sharing link revoked.")
    return redirect(next_url)


@login_required
@require_POST
def list_clear_completed(request, pk):
    """Delete the list's completed todos, offering Undo."""
    todo_list = owned_list(request.user, pk)
    undo = services.todo_list_clear_completed_undoable(todo_list=todo_list, by=request.user)
    offer_undo(request, undo)
    if request.htmx:
        notice = notices.notice(request) if undo else None
        return fragments(request, about=pk, primary="main", changed=[pk], notice=notice)
    return redirect(safe_next(request, reverse("list_detail", args=[pk])))


# Undo


def offer_undo(request, undo: UndoAction | None) -> None:
    """Offer the Undo of a write that recorded one (todos.services.*_undoable) in the page's notice."""
    if undo is not None:
        notices.offer_undo(request, url=reverse("undo", args=[undo.pk]), text=undo.summary)


@login_required
@require_POST
def undo(request, pk):
    """Put back what an undoable write changed (todos.services.undo_restore), once, while it is recent.

    Another person's (or a pruned) record answers 404; one restored already or too old, a message saying
    so. htmx gets the side column and, if the page shows a restored list, its todos; else back to `next`.
    """
    record = get_object_or_404(UndoAction.objects.for_owner(request.user), pk=pk)
    notices.withdraw_undo(request, url=reverse("undo", args=[pk]))
    try:
        changed = services.undo_restore(undo=record, by=request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
        if request.htmx:
            context = {"notice": notices.notice(request, text=refusal, level="error"), "oob_notice": True}
            response = render(
                request, "includes/messages.html#notice-oob", context, status=HTTPStatus.UNPROCESSABLE_ENTITY
            )
            return reswap(retarget(response, "#alerts"), "none")  # the page is as it was: only the notice changes
        messages.error(request, refusal)
        return redirect(safe_next(request, reverse("home")))
    restored = f"Undone: {record.summary}"
    if request.htmx:
        notice = notices.notice(request, text=restored)
        return fragments(request, about=changed[0], primary="side-lists", changed=changed, notice=notice)
    messages.success(request, restored)
    return redirect(safe_next(request, reverse("list_detail", args=[changed[0]])))


# Todos


@login_required
@require_POST
def todo_create(request, pk):
    """Add a todo at the bottom of the list, with the due date, priority and labels its text holds (quick add,
    read in the person's time zone)."""
    todo_list = owned_list(request.user, pk)
    form = TodoCreateForm(request.POST)

    def create(data):
        now = timezone.localtime()
        return services.todo_quick_add(owner=request.user, todo_list=todo_list, text=data["description"], now=now)

    ok, created = save(form, create)
    if request.htmx:
        if not ok:
            return refused_field(request, form, "description", about=pk, error_id="new-todo-error")
        announce = f"Added “{created.description}”."
        return fragments(
            request, about=pk, primary="main", changed=[pk], cleared_error="new-todo-error", announce=announce
        )
    next_url = safe_next(request, reverse("list_detail", args=[pk]))
    if ok:
        return redirect(next_url)
    return redirect_with_field_error(request, form, "description", slot="new_todo", next_url=next_url)


@login_required
@require_GET
def todo_quick_preview(request):
    """What the new-todo field's text `description` will be read as (todos.quickadd), as chips.

    The field asks as it is typed in (htmx); nothing is written. Plain text, with no date, priority
    or label in it, answers nothing (the chips are hidden). Dates are the active time zone's.
    """
    text = request.GET.get("description", "")
    if len(text) > DESCRIPTION_MAX_LENGTH:
        return HttpResponseBadRequest(f"A todo has at most {DESCRIPTION_MAX_LENGTH} characters.")
    now = timezone.localtime()
    quick = quickadd.parse_quick_add(text, now=now)
    due = humanize.human_due(quick.due_date, quick.due_time, now=now) if quick.due_date else ""  # as its row will say
    context = {"quick": quick, "due": due} if quick.found_anything else {}
    # Named as the writes' answers are, so the page can tell it from a login page (todos.js).
    return retarget(render(request, f"{PAGE}#quick-preview", context), "#quick-preview")


@login_required
@require_http_methods(["GET", "POST"])
def todo_update(request, pk):
    """Change a todo's text, state, position, list or other fields. GET shows a form for all of them but its
    state and position; that form refused is shown again with its errors.

    With `If-Match` (the version the page showed, see todo_version) the change is made only if the
    todo still has that version, checked under the list's lock; else 412 and the latest version.
    """
    todo = owned_todo(request.user, pk)
    if request.method == "GET":
        initial = {
            "description": todo.description,
            "list": todo.list_id,
            "due_date": todo.due_date,
            "due_time": todo.due_time,
            "priority": todo.priority,
            "notes": todo.notes,
            "labels": list(todo.labels.all()),
            "every_field": True,
        }
        form = TodoUpdateForm(initial=initial, owner=request.user, auto_id=details_auto_id(request, todo))
        back = safe_next(request, reverse("list_detail", args=[todo.list_id]))
        if request.htmx:
            return details_panel(request, todo, form, back)
        return render(request, "todos/todo_form.html", {"todo": todo, "form": form, "next": back})
    form = TodoUpdateForm(request.POST, owner=request.user, auto_id=details_auto_id(request, todo))
    if_match = request.headers.get("If-Match")
    from_list = todo.list_id

    def update(data):
        current = todo
        if if_match is not None:
            to_list = form.changes().get("todo_list")
            services.todo_lock(todo_id=todo.pk, to_list_id=to_list.pk if to_list else None)
            current = owned_todo(request.user, pk)  # read again under the lock
            if todo_version(current) not in parse_etags(if_match):
                raise StaleTodo(current)
        changes = form.changes()
        if added := form.added_label_names():  # by name, created if new (the details panel, the edit page)
            kept = changes["labels"] if "labels" in changes else list(current.labels.all())
            changes["labels"] = list(dict.fromkeys([*kept, *services.label_ensure(owner=request.user, names=added)]))
        return services.todo_update(todo=current, **changes)

    next_url = safe_next(request, reverse("list_detail", args=[from_list]))
    try:
        ok, updated = save(form, update)
    except StaleTodo as stale:
        if not request.htmx:
            messages.error(request, STALE_MESSAGE)
            return redirect(next_url)
        latest = stale.todo
        return fragments(
            request,
            about=latest.list_id,
            primary="row",
            row=latest,
            changed=[latest.list_id],
            alert=STALE_MESSAGE,
            status=HTTPStatus.PRECONDITION_FAILED,
        )
    if not request.htmx:
        if not ok and form.data.get("every_field"):  # from the edit page: show it again, errors under their fields
            context = {"todo": owned_todo(request.user, pk), "form": form, "next": next_url}
            return render(request, "todos/todo_form.html", context, status=HTTPStatus.UNPROCESSABLE_ENTITY)
        return redirect(next_url) if ok else redirect_with_errors(request, form, next_url)
    if not ok and form.data.get("every_field"):  # from the details panel: its form again, errors under their fields
        return details_panel(request, todo, form, next_url, status=HTTPStatus.UNPROCESSABLE_ENTITY)
    if not ok:
        latest = owned_todo(request.user, pk)
        if "description" in form.errors:  # an inline edit: the row comes back open, the message under its field
            return fragments(
                request,
                about=from_list,
                primary="row",
                row=latest,
                edit_error=" ".join(form.errors["description"]),
                edit_value=form.data.get("description", ""),
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
            )
        alert = " ".join(error_messages(form))
        return fragments(
            request, about=from_list, primary="row", row=latest, alert=alert, status=HTTPStatus.UNPROCESSABLE_ENTITY
        )
    changes = form.changes()
    announce = ""
    if "completed" in changes:  # for screen readers: a ticked box says no more than its own state
        announce = f"{'Completed' if updated.completed else 'Reopened'} “{updated.description}”."
    if "position" in changes or updated.list_id != from_list:
        return fragments(
            request, about=from_list, primary="main", changed=[from_list, updated.list_id], announce=announce
        )
    return fragments(request, about=from_list, primary="row", row=updated, changed=[from_list], announce=announce)


# The details panel: the edit page's form, opened under a row of the list page (htmx)


def details_auto_id(request, todo) -> str:
    """The ids of the form's fields: the edit page's own, or, in a panel of the list page, unique to the row."""
    return f"todo-{todo.pk}-%s" if request.htmx else "id_%s"


def details_panel(request, todo, form, next_url, *, status=HTTPStatus.OK):
    """The edit form as the panel under the todo's row: added to the row when opened, replacing itself when refused.

    Saved, the answer is the row (todo_update), which comes without it: the panel closes.
    """
    context = {"todo": todo, "form": form, "next": next_url, "panel": True}
    response = render(request, "todos/todo_form.html#todo-details", context, status=status)
    if status == HTTPStatus.OK:
        return reswap(retarget(response, f"#todo-{todo.pk}"), "beforeend")
    return reswap(retarget(response, f"#todo-details-{todo.pk}"), "outerHTML")


@login_required
@require_POST
def todo_delete(request, pk):
    """Delete the todo, offering Undo."""
    todo = owned_todo(request.user, pk)
    try:
        undo = services.todo_delete_undoable(todo=todo, by=request.user)
    except Todo.DoesNotExist as error:  # deleted by a concurrent request
        raise Http404("No such todo.") from error
    offer_undo(request, undo)
    if request.htmx:
        return fragments(
            request, about=todo.list_id, primary="main", changed=[todo.list_id], notice=notices.notice(request)
        )
    return redirect(safe_next(request, reverse("list_detail", args=[todo.list_id])))


# Smart views: a person's todos across all their lists (todos/smart_view.html)

SMART_PAGE = "todos/smart_view.html"
SMART_VIEW_TITLES = {"today": "Today", "upcoming": "Upcoming", "overdue": "Overdue", "completed": "Completed"}
UPCOMING_DAYS = 7  # Upcoming groups these days after today one by one, then the rest as "Later"


def side_views(user, *, lists, labels, current=""):
    """The side column's "Views" group: each smart view, then each of the person's labels, with its count.

    The counts are two cached queries (todos.selectors), keyed by the versions of `lists` (the person's)
    and the local date. `current` names the page shown: a view ("today") or a label ("label-3").
    """
    versions = sorted((item.pk, item.version) for item in lists)
    counts = selectors.smart_view_counts(
        owner=user, versions=versions, today=timezone.localdate(), zone=timezone.get_current_timezone_name()
    )
    label_counts = selectors.label_open_counts(owner=user, versions=versions, labels=labels)
    views = [
        {"name": title, "url": reverse(f"smart_{view}"), "count": counts[view], "current": view == current}
        for view, title in SMART_VIEW_TITLES.items()
    ]
    for label in labels:
        label.open_count = label_counts.get(label.pk, 0)
        label.current = current == f"label-{label.pk}"
    return {"smart_views": views, "side_labels": labels}


def _group_rows(todos, *, view, today):
    """Give each row its group's heading: Upcoming's by due day (the next UPCOMING_DAYS days, then "Later"),
    Completed's by the day it was completed (in the active time zone); the other views have one group."""
    last_day = today + datetime.timedelta(days=UPCOMING_DAYS)
    for todo in todos:
        if view == "upcoming":
            todo.group = humanize.human_date(todo.due_date, today=today) if todo.due_date <= last_day else "Later"
        elif view == "completed":
            todo.group = humanize.human_date(timezone.localdate(todo.completed_at), today=today)
        else:
            todo.group = ""


def smart_context(request, *, view, label_pk=None, query, here):
    """What the page of smart view `view` ("label": of label `label_pk`) and its fragments are given."""
    user = request.user
    lists = selectors.todo_lists_attach_counts(todo_lists=owned_lists(user))
    labels = selectors.owner_labels(owner=user)
    today = timezone.localdate()
    if view == "label":
        label = next((item for item in labels if item.pk == label_pk), None)
        if label is None:
            raise Http404("No such label.")
        todos, title, current = selectors.label_todos(owner=user, label=label), label.name, f"label-{label.pk}"
    else:
        todos = selectors.smart_view_todos(owner=user, view=view, today=today)
        title, current = SMART_VIEW_TITLES[view], view
    page = Paginator(todos, PAGE_SIZE).get_page(query.get("page"))
    rows = list(page.object_list)
    _group_rows(rows, view=view, today=today)
    return {
        "view": view,
        "title": title,
        "todos": rows,
        "page_obj": page,
        "lists": lists,
        "here": here,
        **side_views(user, lists=lists, labels=labels, current=current),
    }


def smart_view_sent_from(request):
    """The smart view page an htmx request was sent from, as smart_context's arguments; None if another page."""
    split = urlsplit(request.htmx.current_url_abs_path or "")
    try:
        match = resolve(split.path)
    except Resolver404:
        return None
    if match.func is label_view:
        view, label_pk = "label", match.kwargs["pk"]
    elif match.func is smart_view:
        view, label_pk = match.kwargs["view"], None
    else:
        return None
    here = f"{split.path}?{split.query}" if split.query else split.path
    return {"view": view, "label_pk": label_pk, "query": QueryDict(split.query), "here": here}


def smart_fragment(request, sent_from, *, status=HTTPStatus.OK, notice=None, announce=""):
    """The answer to a write sent by htmx from a smart view: its todos redrawn (the changed one may have left
    the view) and, out of band, the side column's counts, and `notice` and `announce` as fragments() says."""
    extra = {"notice": notice, "oob_notice": notice is not None, "announce": announce}
    context = smart_context(request, **sent_from) | extra
    response = render(request, f"{SMART_PAGE}#smart-changes", context, status=status)
    return reswap(retarget(response, "#smart-main"), "outerHTML")


@login_required
@require_GET
def smart_view(request, view):
    """Today, Upcoming, Overdue or Completed: the person's todos of all their lists, 100 a page."""
    context = smart_context(request, view=view, query=request.GET, here=request.get_full_path())
    return render(request, SMART_PAGE, context)


@login_required
@require_GET
def label_view(request, pk):
    """The person's open todos carrying one of their labels (another person's label: 404)."""
    context = smart_context(request, view="label", label_pk=pk, query=request.GET, here=request.get_full_path())
    return render(request, SMART_PAGE, context)


# Search

SEARCH_PAGE = "todos/search.html"
SEARCH_PAGE_SIZE = 50


def grouped_by_list(todos) -> list[tuple[TodoList, list[Todo]]]:
    """The todos in groups of one list each, the groups in the order of their first todo."""
    groups: dict[int, tuple[TodoList, list[Todo]]] = {}
    for todo in todos:
        groups.setdefault(todo.list_id, (todo.list, []))[1].append(todo)
    return list(groups.values())


@login_required
@require_GET
def search(request):
    """The person's todos, across all their lists, that match `q` (todos.selectors.todo_search), 50 a page,
    grouped by list, the terms highlighted. A query out of bounds answers 400 with the form's error."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        context = {"search_form": form, "search_query": request.GET.get("q", "")}
        return render(request, SEARCH_PAGE, context, status=HTTPStatus.BAD_REQUEST)
    query = form.cleaned_data["q"]
    context = {"search_form": form, "search_query": query, "terms": form.terms}
    if form.terms:
        page = Paginator(selectors.todo_search(owner=request.user, query=query), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context |= {"page_obj": page, "groups": grouped_by_list(page.object_list)}
    return render(request, SEARCH_PAGE, context)
