"""Optional two-factor login: an authenticator app (TOTP) with 10 recovery codes, through django-otp.

Logging in asks for a code after the password when the person has a confirmed device. With
DJANGO_REQUIRE_STAFF_2FA staff must set one up before any other page, and the admin always wants a
session verified by a code from anyone who has a device (everyone staff, with that setting on).
"""

import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import OneTimeCodeForm

PENDING_KEY = "_two_factor_pending"
PENDING_SECONDS = 5 * 60


def two_factor_satisfied(user) -> bool:
    """Whether the session has the second factor it needs: a code, if the person has a device (or must)."""
    if user.is_verified():
        return True
    must = settings.REQUIRE_STAFF_2FA and user.is_staff
    return not must and not user_has_device(user)


class LoginView(auth_views.LoginView):
    """Django's login; when the person has a confirmed device, the password leads to the code step."""

    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        # Logged in with the password but not verified (the admin sends such a person here): the code step.
        if request.user.is_authenticated and not two_factor_satisfied(request.user):
            return self._code_step(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user):
            return super().form_valid(form)
        return self._code_step(user)

    def _code_step(self, user):
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0],
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("two_factor_login")


@require_http_methods(["GET", "POST"])
def two_factor_login(request):
    """The second step of logging in: a code from the authenticator app or a recovery code."""
    pending = request.session.get(PENDING_KEY)
    user = _pending_user(pending)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "Log in again, please: the code step is over.")
        return redirect("login")
    form = OneTimeCodeForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        del request.session[PENDING_KEY]
        login(request, user, backend=pending["backend"])
        otp_login(request, form.device)
        return redirect(pending["next"])
    return render(request, "accounts/two_factor_login.html", {"form": form, "username": user.get_username()})


def _pending_user(pending):
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code (or type the secret), confirm with a code, see the 10 recovery codes once."""
    if user_has_device(request.user):
        return render(request, "accounts/two_factor_setup.html", {"enabled": True})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="Authenticator app", confirmed=False
    )
    form = OneTimeCodeForm(request.POST or None, user=request.user, request=request, devices=[device])
    form.fields["otp"].help_text = "The 6 digits your authenticator app shows for this account."
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enable(user=request.user, device=device)
        otp_login(request, device)
        return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _qr_svg(text: str) -> str:
    """The QR code as inline SVG markup: drawn by the page itself, nothing fetched from elsewhere."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  (our own generated markup)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_disable(request):
    """Turn two-factor login off; takes a current code (or a recovery code)."""
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = OneTimeCodeForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        services.two_factor_disable(user=request.user)
        messages.success(request, "Two-factor login is off: logging in takes your password alone.")
        return redirect("home")
    return render(request, "accounts/two_factor_disable.html", {"form": form})


class StaffTwoFactorMiddleware:
    """With DJANGO_REQUIRE_STAFF_2FA, send staff without a device to the setup page before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_STAFF_2FA and self._must_set_up(request):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_setup"))
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return False
        path = request.path_info
        # The API answers JSON, never a page (staff use tokens there); setup and logout must stay reachable.
        exempt = [reverse("two_factor_setup"), reverse("logout"), "/api/", settings.STATIC_URL]
        if any(path.startswith(prefix if prefix.startswith("/") else f"/{prefix}") for prefix in exempt):
            return False
        return not user_has_device(user)


class TwoFactorAdminSite(admin.AdminSite):
    """The admin, for a session with the second factor it needs; its login is the site's two-step one."""

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_satisfied(request.user)

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))
