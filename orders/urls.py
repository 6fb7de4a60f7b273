from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_create, name="order_create"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/cancel/", views.order_cancel, name="order_cancel"),
    path("<int:pk>/items/", views.order_items_edit, name="order_items_edit"),
    path("<int:pk>/undo-cancel/", views.order_uncancel, name="order_uncancel"),
]
