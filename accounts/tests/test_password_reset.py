import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from todos.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)")


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.com")


def _page_text(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def _reset_link(mail) -> str:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


def test_login_page_links_to_password_reset(client):
    response = client.get(reverse("login"))

    assert reverse("password_reset") in response.content.decode()


def test_password_reset_mails_a_link_that_sets_a_new_password(client, alice, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "todo@example.com"

    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_done")
    [mail] = mailoutbox
    assert mail.to == ["alice@example.com"]
    assert mail.from_email == "todo@example.com"

    form_url = client.get(_reset_link(mail)).url  # Django moves the token into the session
    assert client.get(form_url).context["validlink"]
    response = client.post(form_url, {"new_password1": "a-brand-new-phrase", "new_password2": "a-brand-new-phrase"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("a-brand-new-phrase")
    assert client.login(username="alice", password="a-brand-new-phrase")


def test_password_reset_for_unknown_email_answers_the_same_and_sends_nothing(client, alice, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "alice@example.com"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert len(mailoutbox) == 1
    assert unknown.redirect_chain == known.redirect_chain == [(reverse("password_reset_done"), HTTPStatus.FOUND)]
    assert _page_text(unknown) == _page_text(known)


def test_password_reset_link_works_only_once(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    link = _reset_link(mailoutbox[0])
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": "a-brand-new-phrase", "new_password2": "a-brand-new-phrase"})

    again = client.get(link, follow=True)

    assert again.status_code == HTTPStatus.OK
    assert not again.context["validlink"]
    assert "This link does not work" in again.content.decode()
    response = client.post(
        again.request["PATH_INFO"], {"new_password1": "x-other-phrase", "new_password2": "x-other-phrase"}
    )
    alice.refresh_from_db()
    assert response.status_code == HTTPStatus.OK
    assert alice.check_password("a-brand-new-phrase")


def test_password_reset_with_mismatched_passwords_shows_the_error_inline(client, alice, mailoutbox):
    client.post(reverse("password_reset"), {"email": "alice@example.com"})
    form_url = client.get(_reset_link(mailoutbox[0])).url

    response = client.post(form_url, {"new_password1": "a-brand-new-phrase", "new_password2": "another-phrase"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["new_password2"]
    alice.refresh_from_db()
    assert alice.check_password("password")


def test_signup_stores_the_email_address_for_password_reset(client):
    client.post(
        reverse("signup"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
            "time_zone": "UTC",
        },
    )

    assert UserFactory._meta.model.objects.get(username="newbie").email == "newbie@example.com"
