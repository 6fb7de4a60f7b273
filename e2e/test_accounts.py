"""Sign up, log out, log in and change the password in the browser."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_lands_on_an_empty_inbox_then_log_out_and_in(page, live_server):
    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign up").click()

    expect(page.locator(".list-title")).to_have_text("Inbox")
    expect(page.locator(".todo-list li")).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(live_server.url + reverse("home"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".list-title")).to_have_text("Inbox")


def test_sign_up_errors_are_shown_inline(page, live_server):
    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password confirmation").fill("something-else")
    page.get_by_role("button", name="Sign up").click()

    expect(page.locator(".field-error")).to_contain_text("The two password fields didn’t match.")
    assert not get_user_model().objects.exists()


def test_change_password(page, login, live_server, user):
    login(user)
    page.goto(live_server.url + reverse("home"))

    page.get_by_role("link", name="alice").click()  # the Account page
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Old password").fill("password")
    page.get_by_label("New password", exact=True).fill("a-new-long-passphrase")
    page.get_by_label("New password confirmation").fill("a-new-long-passphrase")
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_create_an_api_token_see_its_key_once_and_revoke_it(page, login, live_server, user):
    login(user)
    page.goto(live_server.url + reverse("home"))

    page.get_by_role("link", name="alice").click()
    page.get_by_label("Name").fill("laptop script")
    page.get_by_label("Read-only").check()
    page.get_by_role("button", name="Create token").click()

    key = page.locator("[data-new-token]").text_content()
    assert len(key) == 64
    expect(page.get_by_role("cell", name="laptop script", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Read-only", exact=True)).to_be_visible()
    page.goto(live_server.url + reverse("account"))
    expect(page.locator("[data-new-token]")).to_have_count(0)
    assert key not in page.content()
    page.get_by_role("button", name="Revoke laptop script").click()
    expect(page.get_by_text("API token “laptop script” revoked.")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
