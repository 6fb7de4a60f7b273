from django.urls import path

from todos import views
from todos.models import SMART_VIEWS

urlpatterns = [
    path("", views.home, name="home"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("lists/<int:pk>/rename/", views.list_rename, name="list_rename"),
    path("lists/<int:pk>/delete/", views.list_delete, name="list_delete"),
    path("lists/<int:pk>/complete/", views.list_set_completed, name="list_set_completed"),
    path("lists/<int:pk>/share/", views.list_share, name="list_share"),
    path("lists/<int:pk>/clear-completed/", views.list_clear_completed, name="list_clear_completed"),
    path("lists/<int:pk>/todos/", views.todo_create, name="todo_create"),
    path("todos/quick-preview/", views.todo_quick_preview, name="todo_quick_preview"),
    path("todos/<int:pk>/", views.todo_update, name="todo_update"),
    path("todos/<int:pk>/delete/", views.todo_delete, name="todo_delete"),
    path("undo/<int:pk>/", views.undo, name="undo"),
    # Smart views (todos.views.smart_view): each a page of the person's todos across all their lists.
    *(path(f"{view}/", views.smart_view, {"view": view}, name=f"smart_{view}") for view in SMART_VIEWS),
    path("labels/<int:pk>/", views.label_view, name="label_view"),
    path("search/", views.search, name="search"),
]
