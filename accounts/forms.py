"""Sign-up (Django's form, with an email address for password reset and the time zone), the profile, the
two-factor code, and a new API token."""

from datetime import timedelta

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from accounts.models import UNKNOWN_TIME_ZONE, Profile, time_zone_names

EXPIRY_CHOICES = [("", "Never"), ("7", "In 7 days"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


def time_zone_choices() -> list[tuple[str, str]]:
    """UTC first, then every zone by name, with spaces: "America / Argentina / Buenos Aires"."""
    names = ["UTC", *sorted(time_zone_names() - {"UTC"})]
    return [(name, name.replace("_", " ").replace("/", " / ")) for name in names]


class TimeZoneField(forms.ChoiceField):
    """A <select> of the IANA zones; a name not among them is a field error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Dates and times are shown in it.")
        super().__init__(
            choices=time_zone_choices,
            error_messages={"invalid_choice": UNKNOWN_TIME_ZONE},
            **kwargs,
        )


class SignupForm(UserCreationForm):
    """Username, optional email address (where password reset links go), the password twice and the time zone.

    Without JavaScript the zone shows UTC; static/js/time-zone.js picks the browser's (`data-guess-time-zone`).
    """

    time_zone = TimeZoneField(initial="UTC", label="Time zone")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"email": "Optional: where we send a link if you forget your password."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a zone the person chose, sent back with an error elsewhere, stays theirs
            self.fields["time_zone"].widget.attrs["data-guess-time-zone"] = ""


class ProfileForm(forms.ModelForm):
    """The Account page's settings: time zone and first day of the week."""

    time_zone = TimeZoneField(label="Time zone")

    class Meta:
        model = Profile
        fields = ["time_zone", "first_day_of_week"]
        labels = {"first_day_of_week": "First day of the week"}


class OneTimeCodeForm(forms.Form):
    """A code from the person's authenticator app, or one of their recovery codes (each works once).

    A wrong code counts as a failed login (`user_login_failed`), so the failed-login limiter counts it.
    """

    otp = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, *args, user, request, devices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.devices = devices  # only these; every confirmed device of the user when None
        self.device = None

    def clean_otp(self):
        code = "".join(self.cleaned_data["otp"].split())
        self.device = verify_code(self.user, code, devices=self.devices)
        if self.device is None:
            user_login_failed.send(
                sender=__name__, credentials={"username": self.user.get_username()}, request=self.request
            )
            raise forms.ValidationError("That code is not right (or was used already). Try the current one.")
        return code


def verify_code(user, code: str, *, devices=None):
    """The device that accepts `code` (a TOTP device or the recovery codes), or None."""
    with transaction.atomic():
        for device in devices if devices is not None else devices_for_user(user, for_verify=True):
            if device.verify_token(code):
                return device
    return None


class APITokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “laptop script”.")
    read_only = forms.BooleanField(required=False, label="Read-only", help_text="Only GET requests.")
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name or "\x00" in name:
            raise forms.ValidationError("Give the token a name.")
        return name

    def token_fields(self) -> dict:
        """The service's arguments: name, read_only, expires_at."""
        days = self.cleaned_data["expires"]
        return {
            "name": self.cleaned_data["name"],
            "read_only": self.cleaned_data["read_only"],
            "expires_at": timezone.now() + timedelta(days=int(days)) if days else None,
        }


class DataImportForm(forms.Form):
    """A file to import: an export of this site (JSON) or a Todoist CSV export."""

    file = forms.FileField(
        label="File to import",
        help_text="A JSON export of this site, or a project exported from Todoist as CSV; at most 5 MB.",
    )
