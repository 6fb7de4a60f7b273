"""Mounted under accounts/ by todoproject/urls.py: Django's auth views with our templates, sign-up, and a
password change whose wrong old passwords are limited."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from accounts import two_factor, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", two_factor.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", views.account, name="account"),
    path("profile/", views.profile_update, name="profile_update"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
# Password reset by email: Django's own views, templates in templates/registration/password_reset_*.
urlpatterns += [
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
# Two-factor login (accounts/two_factor.py), templates in templates/accounts/two_factor_*.
urlpatterns += [
    path("login/code/", two_factor.two_factor_login, name="two_factor_login"),
    path("two_factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("two_factor/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
]
# Your data: the export's downloads and the import (accounts/data.py).
urlpatterns += [
    re_path(r"^export/(?P<kind>json|csv|ics)/$", views.data_export, name="data_export"),
    path("import/", views.data_import, name="data_import"),
]
