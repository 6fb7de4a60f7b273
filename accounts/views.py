"""Sign-up, the Account page with the profile and the API tokens, and the password change (limited, and
revoking the tokens); login and logout are Django's own views (accounts/urls.py, accounts/two_factor.py), logout
saying so."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import data
from accounts import services as account_services
from accounts.data_files import FileRejected
from accounts.forms import APITokenForm, DataImportForm, ProfileForm, SignupForm
from accounts.models import APIToken
from core.ratelimit import address_over_rate, limit_attempt, mark_failed, too_many
from todos import services


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account in the chosen time zone, with an empty "Inbox" list, and log it in."""
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
            account_services.profile_update(
                profile=account_services.profile_for(user=user), time_zone=form.cleaned_data["time_zone"]
            )
            services.todo_list_ensure_inbox(owner=user)
        login(request, user)
        messages.success(request, f"Welcome, {user.username}! Here is your Inbox.")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


def _account_page(request, *, form=None, profile_form=None, new_token=None, import_form=None, status=200):
    tokens = APIToken.objects.for_owner(request.user)
    context = {
        "tokens": tokens,
        "form": form or APITokenForm(),
        "import_form": import_form or DataImportForm(),
        "profile_form": profile_form or ProfileForm(instance=account_services.profile_for(user=request.user)),
        "new_token": new_token,
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def account(request):
    """The Account page: password, time zone and first day of the week, and the person's API tokens (name,
    prefix, scope, dates) with revoke."""
    return _account_page(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_update(request):
    """Change the time zone and first day of the week; a bad value is shown beside its field (400)."""
    if request.method != "POST":
        return redirect("account")
    profile = account_services.profile_for(user=request.user)
    form = ProfileForm(request.POST, instance=profile)
    if not form.is_valid():
        return _account_page(request, profile_form=form, status=400)
    account_services.profile_update(
        profile=profile,
        time_zone=form.cleaned_data["time_zone"],
        first_day_of_week=form.cleaned_data["first_day_of_week"],
    )
    messages.success(request, f"Saved: dates and times are shown in {profile.time_zone}.")
    return redirect("account")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request):
    """Create an API token and show its key, this once: the page is the answer, not a redirect."""
    if request.method != "POST":
        return redirect("account")
    form = APITokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form=form, status=400)
    token = account_services.api_token_create(user=request.user, **form.token_fields())
    messages.success(request, f"API token “{token.name}” created. Copy its key now: it is not shown again.")
    # The key is on this page: core.middleware.PrivateCacheControlMiddleware marks it `private, no-store`.
    return _account_page(request, new_token=token)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(APIToken.objects.for_owner(request.user), pk=pk)
    account_services.api_token_revoke(token=token)
    messages.success(request, f"API token “{token.name}” revoked.")
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, where a wrong old password counts as a failed login (core/ratelimit.py),
    per user and per address, so neither a stolen session nor many sessions can guess it (429 past the
    limit); the change revokes the person's API tokens (accounts.signals) and says so."""

    def post(self, request, *args, **kwargs):
        change = super().post
        return limit_attempt(request, request.user.get_username(), lambda r: change(r, *args, **kwargs))

    def form_invalid(self, form):
        if form.has_error("old_password"):
            mark_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        revoked = getattr(form.user, "api_tokens_revoked", 0)
        if revoked:
            noun = "token was" if revoked == 1 else "tokens were"
            messages.info(self.request, f"Your {revoked} API {noun} revoked.")
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout, saying so on the page it redirects to (the login page)."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, "You have been logged out.")
        return response


# Your data: downloads of the export, and the import of a file (accounts/data.py)


@login_required
@require_http_methods(["GET", "HEAD"])
def data_export(request, kind):
    """Download everything the person owns as JSON, or their todos as CSV or iCalendar (dated todos)."""
    now = timezone.now()
    content = data.export_content(kind, user=request.user, host=request.get_host(), now=now)
    if kind == "json":
        content = json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type=data.EXPORT_KINDS[kind])
    filename = data.export_filename(kind, today=timezone.localdate(now))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def data_import(request):
    """Import a file into the person's account, all or nothing; say what was created, or why nothing was (400)."""
    if request.method != "POST":
        return redirect("account")
    form = DataImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            counts = account_services.account_data_import(
                owner=request.user, **data.read_upload(form.cleaned_data["file"], now=timezone.localtime())
            )
        except FileRejected as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            form.add_error("file", "; ".join(error.messages))
    if not form.is_valid():
        return _account_page(request, import_form=form, status=400)
    messages.success(request, f"Imported {data.counts_in_words(counts)}.")
    return redirect("account")
