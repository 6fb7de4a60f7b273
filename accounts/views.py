"""Sign-up; login, logout and password change are Django's own views (accounts/urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import SignupForm
from todos import services


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account with an empty "Inbox" list and log it in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.todo_list_ensure_inbox(owner=user)
        login(request, user)
        messages.success(request, f"Welcome, {user.username}! Here is your Inbox.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
