from django import forms
from django.contrib import admin, messages
from django.utils.text import Truncator

from core.admin import short_date, truncated
from todos import services
from todos.models import Label, Todo, TodoList


def save_todo(todo: Todo, *, change: bool, list_changed: bool, labels=None) -> None:
    """Save a todo edited in the admin through the services, so each list's positions stay dense.

    `labels` (None: as they are) go through the service too, which checks they are the owner's.
    """
    fields = {
        "description": todo.description,
        "completed": todo.completed,
        "due_date": todo.due_date,
        "due_time": todo.due_time,
        "priority": todo.priority,
        "notes": todo.notes,
    }
    if not change:
        created = services.todo_create(todo_list=todo.list, labels=labels or (), **fields)
        todo.pk, todo.position, todo.created_at = created.pk, created.position, created.created_at
        return
    stored = Todo.objects.get(pk=todo.pk)  # as saved, still in its old list
    services.todo_update(todo=stored, todo_list=todo.list if list_changed else None, labels=labels, **fields)
    todo.position, todo.completed_at = stored.position, stored.completed_at


class TodoInline(admin.TabularInline):
    model = Todo
    # Notes and labels are edited on the todo's own admin page (the change link); the labels show here.
    fields = ["description", "completed", "due_date", "due_time", "priority", "label_names", "position", "updated_at"]
    # Positions are kept dense by the services (the list page pages by them): not edited by hand.
    readonly_fields = ["label_names", "position", "updated_at"]
    extra = 0
    show_change_link = True
    # A label for each input (the stock template names them by their column only), the caption above each row
    # being the Change link alone, not the todo's text again.
    template = "admin/edit_inline/tabular_labelled.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("labels")

    @admin.display(description="Labels")
    def label_names(self, todo):
        return ", ".join(label.name for label in todo.labels.all()) or "-"


class ListStateFilter(admin.SimpleListFilter):
    """Filter lists by their computed state (a list is complete when all its todos are)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("complete", "Complete"), ("open", "Has open todos"), ("empty", "Empty")]

    def queryset(self, request, queryset):
        match self.value():
            case "complete":
                return queryset.filter(total_count__gt=0, open_count=0)
            case "open":
                return queryset.filter(open_count__gt=0)
            case "empty":
                return queryset.filter(total_count=0)
        return queryset


@admin.register(TodoList)
class TodoListAdmin(admin.ModelAdmin):
    # Few, narrow columns, so the list reads at 1280 px beside the admin's side menu.
    list_display = ["short_name", "owner_name", "todo_counts", "shared", "created_on"]
    list_display_links = ["short_name"]
    list_select_related = ["owner"]
    list_filter = [ListStateFilter, ("owner", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["name", "owner__username"]
    autocomplete_fields = ["owner"]
    fields = ["owner", "name", "share_token", "created_at", "updated_at"]
    # The share token is a secret URL's credential: set and revoked by the actions below, never typed.
    readonly_fields = ["share_token", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [TodoInline]
    actions = ["complete_todos", "regenerate_share_link", "revoke_share_link"]
    NAME_LENGTH = 40

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    # Through the services, which raise the list's version (what is cached about it is then not used).

    def save_model(self, request, obj, form, change):
        services.todo_list_save(todo_list=obj)

    def delete_model(self, request, obj):
        services.todo_list_delete(todo_list=obj)

    def delete_queryset(self, request, queryset):
        for todo_list in queryset:
            services.todo_list_delete(todo_list=todo_list)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Todo:
            return super().save_formset(request, form, formset, change)
        todos = formset.save(commit=False)
        for todo in formset.deleted_objects:
            services.todo_delete(todo=todo)
        for todo in todos:
            save_todo(todo, change=todo.pk is not None, list_changed=False)

    @admin.display(description="Name", ordering="name")
    def short_name(self, obj):
        """The name cut to fit the column, in full in its tooltip."""
        return truncated(obj.name, self.NAME_LENGTH)

    @admin.display(description="Owner", ordering="owner__username")
    def owner_name(self, obj):
        return truncated(obj.owner.get_username(), 20)

    @admin.display(description="Shared", boolean=True)
    def shared(self, obj):
        return obj.share_token is not None

    @admin.display(description="Open / todos", ordering="open_count")
    def todo_counts(self, obj):
        return f"{obj.open_count} / {obj.total_count}"

    @admin.display(description="Created", ordering="created_at")
    def created_on(self, obj):
        return short_date(obj.created_at)

    @admin.action(description="Mark all todos of the selected lists completed")
    def complete_todos(self, request, queryset):
        changed = sum(services.todo_list_set_completed(todo_list=tl, completed=True) for tl in queryset)
        self.message_user(request, f"{changed} todo(s) marked completed.", messages.SUCCESS)

    @admin.action(description="Regenerate share link (the old link stops working)", permissions=["change"])
    def regenerate_share_link(self, request, queryset):
        for todo_list in queryset:
            services.todo_list_share(todo_list=todo_list)
        self.message_user(
            request, f"New share link for {len(queryset)} list(s); the old links answer 404.", messages.SUCCESS
        )

    @admin.action(description="Revoke share link", permissions=["change"])
    def revoke_share_link(self, request, queryset):
        shared = [todo_list for todo_list in queryset if todo_list.share_token is not None]
        for todo_list in shared:
            services.todo_list_unshare(todo_list=todo_list)
        self.message_user(request, f"Share link revoked for {len(shared)} list(s).", messages.SUCCESS)


class TodoAdminForm(forms.ModelForm):
    class Meta:
        model = Todo
        fields = ["list", "description", "completed", "due_date", "due_time", "priority", "notes", "labels"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "labels" in self.fields:  # the choices: the owner's labels
            labels = self.fields["labels"]
            labels.queryset = Label.objects.for_owner(self.instance.list.owner_id)

    def clean_list(self):
        todo_list = self.cleaned_data["list"]
        if self.instance.pk and todo_list.owner_id != self.instance.list.owner_id:
            raise forms.ValidationError("A todo can only move to another list of the same owner.")
        return todo_list

    def clean(self):
        cleaned = super().clean()
        todo_list, labels = cleaned.get("list"), cleaned.get("labels")
        if todo_list is not None and labels and any(label.owner_id != todo_list.owner_id for label in labels):
            self.add_error("labels", "Choose labels of the list's owner only.")
        return cleaned


class TodoChangelistForm(forms.ModelForm):
    """A row of the todo changelist: its "completed" box named after the todo (the column header does not name it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "completed" in self.fields:
            description = Truncator(self.instance.description).chars(60)
            self.fields["completed"].widget.attrs["aria-label"] = f"Completed: {description}"


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    form = TodoAdminForm
    # What an operator looks for, long text cut (in full in its tooltip), so the list reads at 1280 px beside the
    # admin's side menu and filters; the position and the times are on the todo's page.
    list_display = ["short_description", "list_name", "owner", "completed", "due_date", "priority", "updated_on"]
    list_display_links = ["short_description"]
    list_select_related = ["list__owner"]
    list_filter = [
        "completed",
        "due_date",
        "priority",
        ("labels", admin.RelatedOnlyFieldListFilter),
        ("list__owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_editable = ["completed"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=TodoChangelistForm, **kwargs)

    search_fields = ["description", "notes", "list__name", "list__owner__username"]
    autocomplete_fields = ["list"]
    readonly_fields = ["position", "completed_at", "created_at", "updated_at"]

    @admin.display(description="Description", ordering="description")
    def short_description(self, obj):
        return truncated(obj.description, 60)

    @admin.display(description="List", ordering="list__name")
    def list_name(self, obj):
        return truncated(obj.list.name, 30)

    @admin.display(description="Owner", ordering="list__owner__username")
    def owner(self, obj):
        return truncated(obj.list.owner.get_username(), 20)

    @admin.display(description="Updated", ordering="updated_at")
    def updated_on(self, obj):
        return short_date(obj.updated_at)

    def save_model(self, request, obj, form, change):
        labels = form.cleaned_data.get("labels")
        save_todo(obj, change=change, list_changed="list" in form.changed_data, labels=labels)

    def save_related(self, request, form, formsets, change):
        # The labels, the todo's only many-to-many field, went through the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.todo_delete(todo=obj)

    def delete_queryset(self, request, queryset):
        for todo in queryset:
            services.todo_delete(todo=todo)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "colour", "owner_name", "created_on"]
    list_select_related = ["owner"]
    list_filter = [("owner", admin.RelatedOnlyFieldListFilter), "colour"]
    search_fields = ["name", "owner__username"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at"]

    @admin.display(description="Owner", ordering="owner__username")
    def owner_name(self, obj):
        return truncated(obj.owner.get_username(), 20)

    @admin.display(description="Created", ordering="created_at")
    def created_on(self, obj):
        return short_date(obj.created_at)

    def get_readonly_fields(self, request, obj=None):
        # A label stays with its owner: their todos carry it.
        return [*self.readonly_fields, "owner"] if obj is not None else self.readonly_fields

    # Through the services, which raise the version of every list showing the label.

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.label_create(owner=obj.owner, name=obj.name, colour=obj.colour)
            obj.pk, obj.created_at = created.pk, created.created_at
            return
        services.label_update(label=obj, name=obj.name, colour=obj.colour)

    def delete_model(self, request, obj):
        services.label_delete(label=obj)

    def delete_queryset(self, request, queryset):
        for label in queryset:
            services.label_delete(label=label)
