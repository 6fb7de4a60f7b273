"""Sign-up and password change; login and logout are Django's own views (accounts/urls.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import SignupForm
from core.ratelimit import address_over_rate, limit_attempt, mark_failed, too_many
from todos import services


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account with an empty "Inbox" list and log it in."""
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and (
        retry_after := address_over_rate(request, scope="signups", rate=settings.SIGNUP_RATE)
    ):
        return too_many(request, "Too many sign-ups from your address.", retry_after)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.todo_list_ensure_inbox(owner=user)
        login(request, user)
        messages.success(request, f"Welcome, {user.username}! Here is your Inbox.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, where a wrong old password counts as a failed login (core/ratelimit.py).

    Per user and per address, so neither a stolen session nor many sessions can guess it: 429 past the limit.
    """

    def post(self, request, *args, **kwargs):
        change = super().post
        return limit_attempt(request, request.user.get_username(), lambda r: change(r, *args, **kwargs))

    def form_invalid(self, form):
        if form.has_error("old_password"):
            mark_failed(self.request)
        return super().form_invalid(form)
