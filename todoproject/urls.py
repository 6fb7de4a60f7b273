from django.contrib import admin
from django.urls import include, path

from todos.urls import account_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("todoproject.api_urls")),
    path("accounts/", include(account_urlpatterns)),
    path("orders/", include("orders.urls")),
    path("", include("todos.urls")),
]

handler500 = "todoproject.api_views.server_error"
