import re
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.middleware import TimeZoneMiddleware
from accounts.models import APIToken, Profile, Weekday
from accounts.selectors import time_zone_cache_key
from accounts.tests.factories import api_token
from orders.models import Order
from orders.tests.factories import OrderFactory
from todos.models import TodoList
from todos.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


SIGN_UP = {"username": "newbie", "password1": "a-long-passphrase", "password2": "a-long-passphrase", "time_zone": "UTC"}


def test_signup_creates_account_with_empty_inbox_and_logs_in(client):
    response = client.post(reverse("signup"), SIGN_UP)

    assert response.status_code == HTTPStatus.FOUND
    user = get_user_model().objects.get(username="newbie")
    assert [(item.name, item.todos.count()) for item in TodoList.objects.for_owner(user)] == [("Inbox", 0)]
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND  # logged in: no login redirect
    assert client.get(reverse("home")).url == reverse("list_detail", args=[user.todo_lists.get().pk])


@pytest.mark.parametrize(
    "data",
    [
        {"username": "", "password1": "", "password2": ""},
        {"username": "x" * 151, "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        {"username": "newbie", "password1": "a-long-passphrase", "password2": "another-passphrase"},
    ],
    ids=["empty", "too-long-username", "passwords-differ"],
)
def test_signup_with_bad_input_shows_errors_and_creates_nothing(client, data):
    response = client.post(reverse("signup"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors
    assert not get_user_model().objects.exists()
    assert not TodoList.objects.exists()


def test_signup_without_csrf_token_is_forbidden():
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("signup"), {"username": "newbie", "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN


# Limits: sign-ups per address, wrong old passwords on the password change page (core/ratelimit.py)


def sign_up(client, username, *, address="10.0.0.1"):
    data = {**SIGN_UP, "username": username}
    return client.post(reverse("signup"), data, REMOTE_ADDR=address)


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_sign_ups_past_the_rate_from_one_address_answer_429_with_a_page(settings):
    settings.SIGNUP_RATE = "3/hour"
    for number in range(3):
        assert sign_up(Client(), f"newbie{number}").status_code == HTTPStatus.FOUND

    refused = sign_up(Client(), "one-too-many")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many sign-ups from your address." in refused.content.decode()
    assert not get_user_model().objects.filter(username="one-too-many").exists()
    assert sign_up(Client(), "elsewhere", address="10.0.0.2").status_code == HTTPStatus.FOUND


def change_password(client, old, *, address="10.0.0.1"):
    data = {"old_password": old, "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"}
    return client.post(reverse("password_change"), data, REMOTE_ADDR=address)


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_wrong_old_passwords_past_the_limit_answer_429(auth_client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = change_password(auth_client, "wrong")
        assert response.status_code == HTTPStatus.OK
        assert response.context["form"].has_error("old_password")

    refused = change_password(auth_client, "password")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Retry-After" in refused
    user.refresh_from_db()
    assert user.check_password("password")


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_wrong_old_passwords_count_for_the_user_from_another_address(auth_client, user, settings):
    """Per user: an address that has failed for this user meets the user's count too."""
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong", address=f"10.3.0.{number}")

    assert change_password(auth_client, "password", address="10.3.0.0").status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_wrong_old_passwords_count_as_failed_logins(auth_client, client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        change_password(auth_client, "wrong")

    response = Client().post(reverse("login"), {"username": "alice", "password": "password"}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_a_right_old_password_after_four_wrong_ones_changes_it(auth_client, user, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        change_password(auth_client, "wrong")

    assert change_password(auth_client, "password").status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.check_password("a-new-passphrase")


# The Account page and its API tokens (no JavaScript needed: forms, POST, redirect)


def test_account_page_lists_my_tokens_without_keys(auth_client, user, other_user):
    mine = api_token(user, name="laptop script", read_only=True)
    api_token(other_user, name="their token")

    response = auth_client.get(reverse("account"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "laptop script" in page
    assert f"{mine.prefix}…" in page
    assert "Read-only" in page
    assert mine.key not in page
    assert "their token" not in page


def test_account_page_needs_a_login(client):
    response = client.get(reverse("account"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_the_nav_links_to_the_account_page(auth_client):
    assert f'href="{reverse("account")}#profile"' in auth_client.get(reverse("home"), follow=True).content.decode()


def test_creating_a_token_shows_its_key_once(auth_client, user):
    response = auth_client.post(reverse("token_create"), {"name": "ci", "read_only": "on", "expires": "30"})

    assert response.status_code == HTTPStatus.OK
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    token = APIToken.objects.get()
    assert (token.name, token.read_only, token.user) == ("ci", True, user)
    assert token.expires_at is not None
    key = response.context["new_token"].key
    assert key in response.content.decode()
    assert APIToken.objects.for_key(key).get() == token
    assert key not in auth_client.get(reverse("account")).content.decode()


def test_creating_a_token_without_a_name_shows_the_error_and_creates_nothing(auth_client):

    response = auth_client.post(reverse("token_create"), {"name": "  ", "expires": ""})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="field-error"' in response.content.decode()
    assert not APIToken.objects.exists()


def test_revoking_a_token_redirects_with_a_message(auth_client, user):
    token = api_token(user, name="old")

    response = auth_client.post(reverse("token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain == [(reverse("account"), HTTPStatus.FOUND)]
    assert "API token “old” revoked." in response.content.decode()
    assert not APIToken.objects.exists()


def test_revoking_another_persons_token_is_404(auth_client, other_user):
    theirs = api_token(other_user)

    response = auth_client.post(reverse("token_revoke", args=[theirs.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert APIToken.objects.filter(pk=theirs.pk).exists()


def test_changing_the_password_revokes_the_api_tokens_and_says_so(auth_client, user):
    api_token(user)
    api_token(user, read_only=True)

    response = auth_client.post(
        reverse("password_change"),
        {"old_password": "password", "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    assert "Your 2 API tokens were revoked." in response.content.decode()
    assert not APIToken.objects.exists()


def test_a_wrong_old_password_keeps_the_api_tokens(auth_client, user):
    api_token(user)

    auth_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"},
    )

    assert APIToken.objects.count() == 1


def test_a_password_reset_revokes_the_api_tokens(client, user):
    api_token(user)
    form = SetPasswordForm(user, {"new_password1": "a-new-passphrase", "new_password2": "a-new-passphrase"})
    assert form.is_valid()

    form.save()  # what PasswordResetConfirmView (and the admin's password form) does

    assert not APIToken.objects.exists()


# Time zone: chosen at sign-up, changed on the Account page, every page shown in it


def test_signup_shows_the_zones_with_utc_chosen_and_the_module_that_guesses_the_browsers(client):
    response = client.get(reverse("signup"))

    html = response.content.decode()
    assert '<option value="UTC" selected>UTC</option>' in html
    assert '<option value="Pacific/Auckland">Pacific / Auckland</option>' in html
    assert "data-guess-time-zone" in html
    assert '<script type="module" src="/static/js/time-zone.js"></script>' in html
    assert "<script>" not in html  # no inline script: the strict CSP holds


def test_signup_stores_the_chosen_time_zone(client):
    response = client.post(reverse("signup"), {**SIGN_UP, "time_zone": "Asia/Tokyo"})

    assert response.status_code == HTTPStatus.FOUND
    assert get_user_model().objects.get(username="newbie").profile.time_zone == "Asia/Tokyo"


def test_signup_with_an_unknown_time_zone_is_a_field_error_and_keeps_no_guess(client):
    response = client.post(reverse("signup"), {**SIGN_UP, "time_zone": "Mars/Olympus"})

    assert response.status_code == HTTPStatus.OK
    assert "not a time zone we know" in response.context["form"].errors["time_zone"][0]
    assert "data-guess-time-zone" not in response.content.decode()  # what the person sent is not replaced
    assert not get_user_model().objects.exists()


def test_account_page_shows_the_profile_form(auth_client, user):
    Profile.objects.filter(user=user).update(time_zone="Europe/Paris", first_day_of_week=Weekday.SUNDAY)

    response = auth_client.get(reverse("account"))

    form = response.context["profile_form"]
    assert (form["time_zone"].value(), form["first_day_of_week"].value()) == ("Europe/Paris", "sunday")
    assert f'action="{reverse("profile_update")}"' in response.content.decode()


def test_changing_the_profile_redirects_with_a_message_and_shows_pages_in_the_new_zone(auth_client, user):
    response = auth_client.post(
        reverse("profile_update"), {"time_zone": "America/Los_Angeles", "first_day_of_week": "saturday"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("account")
    user.profile.refresh_from_db()
    assert (user.profile.time_zone, user.profile.first_day_of_week) == ("America/Los_Angeles", "saturday")
    page = auth_client.get(reverse("account"))
    assert "Saved: dates and times are shown in America/Los_Angeles." in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus", "first_day_of_week": "monday"}, "time_zone", "not a time zone we know"),
        ({"time_zone": "", "first_day_of_week": "monday"}, "time_zone", "This field is required."),
        ({"time_zone": "UTC", "first_day_of_week": "friday"}, "first_day_of_week", "Select a valid choice."),
    ],
)
def test_a_bad_profile_is_refused_beside_its_field(auth_client, user, data, field, message):
    response = auth_client.post(reverse("profile_update"), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.context["profile_form"].errors[field][0]
    assert f'id="id_{field}_error"' in response.content.decode()
    user.profile.refresh_from_db()
    assert (user.profile.time_zone, user.profile.first_day_of_week) == ("UTC", "monday")


def test_profile_update_by_get_goes_to_the_account_page(auth_client):
    assert auth_client.get(reverse("profile_update")).url == reverse("account")


PLACED = r'<time datetime="([^"]+)" data-order-placed>([^<]+)</time>'


def test_an_order_page_shows_its_time_in_each_persons_own_zone(client):
    """Alice in Auckland and Bob in Los Angeles see the same moment as their own clocks showed it."""
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    Profile.objects.filter(user=alice).update(time_zone="Pacific/Auckland")
    Profile.objects.filter(user=bob).update(time_zone="America/Los_Angeles")
    placed = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    orders = {}
    for person in (alice, bob):
        orders[person] = OrderFactory(owner=person)
        Order.objects.filter(pk=orders[person].pk).update(created_at=placed)

    shown = {}
    for person in (alice, bob):
        client.force_login(person)
        html = client.get(reverse("orders:order_detail", args=[orders[person].pk])).content.decode()
        shown[person.username] = re.search(PLACED, html).groups()

    assert shown == {
        "alice": ("2025-06-02T00:00:00+12:00", "2 Jun 2025 00:00"),
        "bob": ("2025-06-01T05:00:00-07:00", "1 Jun 2025 05:00"),
    }


def test_the_account_page_shows_token_dates_in_the_persons_zone(auth_client, user):
    with time_machine.travel(datetime(2025, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        api_token(user, name="laptop")
    services_update_zone(user, "Asia/Tokyo")

    html = auth_client.get(reverse("account")).content.decode()

    assert '<time datetime="2025-06-01T21:00:00+09:00">1 Jun 2025 21:00</time>' in html


def services_update_zone(user, name):
    account_services.profile_update(profile=user.profile, time_zone=name)


def profile_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "accounts_profile" in query["sql"]]


def test_a_page_reads_the_zone_from_the_cache_not_the_database(auth_client, user):
    auth_client.get(reverse("account"))  # the login cached the zone already

    with CaptureQueriesContext(connection) as queries:
        auth_client.get(reverse("orders:order_list"))

    assert profile_queries(queries) == []


def test_a_cold_cache_costs_one_query_for_the_zone_then_none(auth_client, user):
    cache.delete(time_zone_cache_key(user.pk))  # as when it timed out

    with CaptureQueriesContext(connection) as cold:
        auth_client.get(reverse("orders:order_list"))
    with CaptureQueriesContext(connection) as warm:
        auth_client.get(reverse("orders:order_list"))

    assert len(profile_queries(cold)) == 1
    assert profile_queries(warm) == []
    assert len(cold) == len(warm) + 1


def zone_seen_by_the_view(request) -> str:
    seen = []
    TimeZoneMiddleware(lambda request: seen.append(timezone.get_current_timezone_name()))(request)
    return seen[0]


def test_the_middleware_activates_the_persons_zone_for_the_request_only(rf, user, settings):
    services_update_zone(user, "Pacific/Auckland")
    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    request.user = user

    assert zone_seen_by_the_view(request) == "Pacific/Auckland"
    assert timezone.get_current_timezone_name() == "UTC"  # deactivated when the request ended


def test_anonymous_requests_are_in_the_servers_zone(rf, settings):
    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    request.user = AnonymousUser()
    timezone.activate("Asia/Tokyo")  # left over by anything: not the anonymous person's

    assert zone_seen_by_the_view(request) == settings.TIME_ZONE == "UTC"


def test_an_answer_to_a_request_without_a_session_cookie_does_not_vary_on_cookies(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user).key}")

    response = api_client.get(reverse("api:profile"))

    assert response.status_code == HTTPStatus.OK
    assert "Cookie" not in response.get("Vary", "")


def test_the_list_page_changes_its_etag_when_the_zone_changes(auth_client, user, todo_list):
    url = reverse("list_detail", args=[todo_list.pk])
    before = auth_client.get(url)["ETag"]

    services_update_zone(user, "Asia/Tokyo")

    assert auth_client.get(url)["ETag"] != before


def test_logging_out_says_so_on_the_login_page(auth_client):
    response = auth_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), HTTPStatus.FOUND)]
    assert [str(message) for message in response.context["messages"]] == ["You have been logged out."]
    assert "<p>You have been logged out.</p>" in response.content.decode()
    assert "_auth_user_id" not in auth_client.session


def test_logging_out_without_a_login_says_nothing(client):
    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain == [(reverse("login"), HTTPStatus.FOUND)]
    assert list(response.context["messages"]) == []


def test_a_field_with_several_errors_shows_them_in_one_message_under_it_that_the_field_names(auth_client, user):
    """templates/includes/field.html: one element per field's errors, the one Django's aria-describedby names."""
    response = auth_client.post(
        reverse("password_change"), {"old_password": "secret-pass", "new_password1": "1", "new_password2": "1"}
    )

    html = response.content.decode()
    field = re.search(r'<input type="password" name="new_password2"[^>]*>', html).group()
    assert 'aria-invalid="true"' in field
    assert "id_new_password2_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert html.count('id="id_new_password2_error"') == 1
    message = re.search(r'<p class="field-error" id="id_new_password2_error">([^<]*)</p>', html)
    assert "too short" in message.group(1)
    assert "entirely numeric" in message.group(1)
    assert html.index(field) < message.start()
