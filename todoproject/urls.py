from django.contrib import admin
from django.urls import include, path

from accounts.two_factor import TwoFactorAdminSite

# The admin takes the second factor too (django-otp's documented way of swapping the default site).
admin.site.__class__ = TwoFactorAdminSite
admin.site.site_header = "todoproject administration"  # the heading of every admin page
admin.site.site_title = "todoproject admin"  # after each page's <title>
admin.site.index_title = "Lists, todos, products and orders"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("todoproject.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("orders/", include("orders.urls")),
    path("", include("todos.urls")),
]

handler500 = "core.views.server_error"
