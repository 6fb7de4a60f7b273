"""Sign-up form: Django's, with an email address for password reset."""

from django.contrib.auth.forms import UserCreationForm


class SignupForm(UserCreationForm):
    """Username, optional email address (where password reset links go) and the password twice."""

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {"email": "Optional: where we send a link if you forget your password."}
