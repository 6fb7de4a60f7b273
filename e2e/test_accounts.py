"""Sign up, log out, log in, change the password and set up two-factor login in the browser."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core import humanize

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_account_menu(page):
    """Open the top bar's account menu (its button is the user name)."""
    page.locator(".account-menu > summary").click()
    expect(page.locator(".account-menu-items")).to_be_visible()


def log_out(page):
    open_account_menu(page)
    page.get_by_role("button", name="Log out").click()


def test_the_account_menu_opens_closes_with_esc_and_leads_to_each_part_of_the_account(page, login, live_server, user):
    login(user)
    page.goto(live_server.url + reverse("home"))
    menu_button = page.locator(".account-menu > summary")
    expect(menu_button).to_have_accessible_name("Account menu of alice")
    expect(page.get_by_role("link", name="Profile & time zone")).to_be_hidden()

    menu_button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Profile & time zone")).to_be_visible()
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)  # not staff
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Profile & time zone")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator(".account-menu-items")).to_be_hidden()
    expect(menu_button).to_be_focused()

    open_account_menu(page)
    page.locator("#main-content").click(position={"x": 5, "y": 5})  # a click elsewhere closes it
    expect(page.locator(".account-menu-items")).to_be_hidden()

    for name, anchor in [
        ("Profile & time zone", "profile"),
        ("Export / import", "your-data"),
        ("API tokens", "api-tokens"),
    ]:
        open_account_menu(page)
        page.get_by_role("link", name=name).click()
        expect(page).to_have_url(live_server.url + reverse("account") + "#" + anchor)
        expect(page.locator(f"#{anchor}")).to_be_in_viewport()
        expect(menu_button).to_have_attribute("aria-current", "true")  # the account's pages: highlighted


def test_the_account_menu_offers_the_admin_to_staff(page, login, live_server, staff_user):
    login(staff_user)
    page.goto(live_server.url + reverse("home"))

    open_account_menu(page)
    page.get_by_role("link", name="Admin").click()

    expect(page).to_have_url(live_server.url + reverse("admin:index"))


def test_sign_up_lands_on_an_empty_inbox_then_log_out_and_in(page, live_server):
    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign up").click()

    expect(page.locator(".list-title")).to_have_text("Inbox")
    expect(page.locator(".todo-list li")).to_have_count(0)

    log_out(page)
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

    open_account_menu(page)
    page.get_by_role("link", name="Password", exact=True).click()
    expect(page.locator(".account-menu-items [aria-current=page]")).to_have_text("Password")
    page.get_by_label("Old password").fill("password")
    page.get_by_label("New password", exact=True).fill("a-new-long-passphrase")
    page.get_by_label("New password confirmation").fill("a-new-long-passphrase")
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_two_factor_setup_then_log_in_with_a_recovery_code(page, login, live_server, user):
    """Set up two-factor login from the password page (QR code drawn under the CSP), then use a recovery code."""
    csp_errors = []
    page.on(
        "console",
        lambda message: csp_errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    login(user)
    page.goto(live_server.url + reverse("password_change"))

    page.get_by_role("link", name="Two-factor login").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").text_content()
    device = TOTPDevice.objects.get(user=user)
    assert secret
    assert secret in device.config_url
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code", exact=True).fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Turn two-factor login on").click()

    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.text_content()
    page.get_by_role("link", name="I have saved them").click()
    log_out(page)

    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(recovery_code)
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".account-name")).to_contain_text("alice")
    assert csp_errors == []


def test_create_an_api_token_see_its_key_once_and_revoke_it(page, login, live_server, user):
    login(user)
    page.goto(live_server.url + reverse("home"))

    open_account_menu(page)
    page.get_by_role("link", name="API tokens").click()
    expect(page).to_have_url(re.compile(r"/accounts/#api-tokens$"))
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


def test_sign_up_picks_the_browsers_time_zone_and_the_account_shows_its_times(browser, live_server):
    """A browser in Tokyo: the sign-up form chooses Asia/Tokyo, and the new token's time is Tokyo's."""
    context = browser.new_context(timezone_id="Asia/Tokyo")
    context.set_default_timeout(5000)
    page = context.new_page()
    page.goto(live_server.url + reverse("signup"))

    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Password", exact=True).fill("a-long-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".list-title")).to_have_text("Inbox")

    open_account_menu(page)
    page.get_by_role("link", name="Profile & time zone").click()
    expect(page.get_by_label("Time zone", exact=True)).to_have_value("Asia/Tokyo")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create token").click()
    created = page.locator("table.tokens td time").first
    expect(created).to_have_attribute("datetime", re.compile(r"\+09:00$"))
    expect(created).to_have_text(re.compile(r"^(Today|Yesterday) \d\d:\d\d$"))  # yesterday: just past midnight
    tokyo_now = datetime.now(ZoneInfo("Asia/Tokyo"))
    made = {humanize.human_datetime(tokyo_now - timedelta(minutes=late), now=tokyo_now) for late in (0, 1)}
    assert created.inner_text() in made
    assert get_user_model().objects.get(username="newbie").profile.time_zone == "Asia/Tokyo"
    context.close()


def test_without_javascript_the_sign_up_time_zone_is_utc(browser, live_server):
    context = browser.new_context(timezone_id="Asia/Tokyo", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("signup"))

    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    context.close()
