from django.contrib import admin, messages

from todos import services
from todos.models import Todo, TodoList


class TodoInline(admin.TabularInline):
    model = Todo
    fields = ["description", "completed", "position", "updated_at"]
    readonly_fields = ["updated_at"]
    extra = 0
    show_change_link = True


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
    list_display = ["name", "owner", "open_count", "total_count", "created_at"]
    list_select_related = ["owner"]
    list_filter = [ListStateFilter, ("owner", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["name", "owner__username"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [TodoInline]
    actions = ["complete_todos"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description="Open todos", ordering="open_count")
    def open_count(self, obj):
        return obj.open_count

    @admin.display(description="Todos", ordering="total_count")
    def total_count(self, obj):
        return obj.total_count

    @admin.action(description="Mark all todos of the selected lists completed")
    def complete_todos(self, request, queryset):
        changed = sum(services.todo_list_set_completed(todo_list=tl, completed=True) for tl in queryset)
        self.message_user(request, f"{changed} todo(s) marked completed.", messages.SUCCESS)


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    list_display = ["description", "list", "owner", "completed", "position", "updated_at"]
    list_select_related = ["list__owner"]
    list_filter = ["completed", ("list__owner", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["completed"]
    search_fields = ["description", "list__name", "list__owner__username"]
    autocomplete_fields = ["list"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="Owner", ordering="list__owner__username")
    def owner(self, obj):
        return obj.list.owner
