from datetime import timedelta

from django import forms
from django.utils import timezone

EXPIRY_CHOICES = [("", "Never"), ("7", "In 7 days"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


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
