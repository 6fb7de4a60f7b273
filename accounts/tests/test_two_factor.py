import re
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from todos.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enable_two_factor(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    return device, services.two_factor_enable(user=user, device=device)


@pytest.fixture
def alice_2fa(user):
    device, codes = enable_two_factor(user)
    return user, device, codes


@pytest.fixture
def failures():
    seen = []

    def receiver(sender, credentials, **kwargs):
        seen.append(credentials.get("username"))

    user_login_failed.connect(receiver)
    yield seen
    user_login_failed.disconnect(receiver)


def log_in(client, username="alice", password="password"):
    return client.post(reverse("login"), {"username": username, "password": password})


def send_code(client, code, username="alice"):
    return client.post(reverse("two_factor_login"), {"otp": code, "username": username})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# Login


def test_login_without_two_factor_takes_the_password_alone(client, user):
    assert log_in(client).url == reverse("home")
    assert logged_in(client)


def test_login_with_two_factor_asks_for_the_code_after_the_password(client, alice_2fa):
    response = log_in(client)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("two_factor_login")
    assert not logged_in(client)
    assert client.get(reverse("home")).status_code == HTTPStatus.FOUND  # still sent to log in


def test_login_with_the_right_code_logs_in_verified(client, alice_2fa):
    _, device, _ = alice_2fa
    log_in(client)

    response = send_code(client, current_code(device))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("home")
    assert logged_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_login_with_a_wrong_code_shows_the_error_and_counts_as_a_failed_login(client, alice_2fa, failures):
    log_in(client)

    response = send_code(client, "000000" if current_code(alice_2fa[1]) != "000000" else "111111")

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["otp"]
    assert not logged_in(client)
    assert failures == ["alice"]


@pytest.mark.usefixtures("clock_at_an_hours_start")
def test_failed_codes_are_limited_like_failed_logins(client, alice_2fa):
    log_in(client)
    for _ in range(5):
        send_code(client, "wrong")

    response = send_code(client, current_code(alice_2fa[1]))

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert not logged_in(client)


def test_recovery_code_logs_in_once(client, alice_2fa):
    _, _, codes = alice_2fa
    log_in(client)
    assert send_code(client, codes[0]).status_code == HTTPStatus.FOUND
    client.post(reverse("logout"))

    log_in(client)
    response = send_code(client, codes[0])

    assert response.status_code == HTTPStatus.OK
    assert not logged_in(client)
    assert StaticToken.objects.filter(device__user=alice_2fa[0]).count() == 9


def test_code_step_without_a_password_first_sends_to_login(client, alice_2fa):
    response = send_code(client, current_code(alice_2fa[1]))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("login")
    assert not logged_in(client)


def test_code_step_expires_after_five_minutes(client, alice_2fa):
    with time_machine.travel("2026-01-01 09:00", tick=False) as traveller:
        log_in(client)
        traveller.shift(timedelta(minutes=6))

        response = send_code(client, current_code(alice_2fa[1]))

    assert response.url == reverse("login")
    assert not logged_in(client)


# Setup and disable


def test_setup_page_shows_an_inline_svg_qr_code_and_the_secret(auth_client, user):
    response = auth_client.get(reverse("two_factor_setup"))

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert response.context["secret"] in device.config_url
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert not re.search(r'(src|href)="https?://', page)  # nothing loaded from elsewhere
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_setup_with_the_right_code_turns_two_factor_on_and_shows_ten_recovery_codes(auth_client, user):
    auth_client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)

    response = auth_client.post(reverse("two_factor_setup"), {"otp": current_code(device)})

    assert response.status_code == HTTPStatus.OK
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert user_has_device(user)
    assert auth_client.get(reverse("two_factor_setup")).context["enabled"]  # shown once: not again


def test_setup_with_a_wrong_code_shows_the_error_and_leaves_two_factor_off(auth_client, user):
    auth_client.get(reverse("two_factor_setup"))

    response = auth_client.post(reverse("two_factor_setup"), {"otp": "12"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["otp"]
    assert not user_has_device(user)


def test_disable_with_a_wrong_code_keeps_two_factor_on(auth_client, alice_2fa):
    response = auth_client.post(reverse("two_factor_disable"), {"otp": "nope"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["otp"]
    assert user_has_device(alice_2fa[0])


def test_disable_with_a_code_turns_two_factor_off(auth_client, alice_2fa):
    response = auth_client.post(reverse("two_factor_disable"), {"otp": current_code(alice_2fa[1])})

    assert response.status_code == HTTPStatus.FOUND
    assert not user_has_device(alice_2fa[0])
    assert not StaticToken.objects.exists()


# Staff and the admin


def test_staff_without_a_device_are_sent_to_setup_when_required(client, staff_user, settings):
    settings.REQUIRE_STAFF_2FA = True
    client.force_login(staff_user)

    for url in [reverse("home"), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith(reverse("two_factor_setup"))
    assert client.get(reverse("two_factor_setup")).status_code == HTTPStatus.OK


def test_staff_are_not_sent_to_setup_unless_required(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_people_who_are_not_staff_are_not_sent_to_setup(auth_client, settings, todo_list):
    settings.REQUIRE_STAFF_2FA = True

    assert auth_client.get(reverse("list_detail", args=[todo_list.pk])).status_code == HTTPStatus.OK


def test_admin_refuses_a_session_without_the_code_of_a_staff_member_with_a_device(client, staff_user):
    device, _ = enable_two_factor(staff_user)
    client.force_login(staff_user)  # the password alone

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("two_factor_login")
    response = send_code(client, current_code(device), username="staff")
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_admin_login_is_the_two_step_site_login(client, staff_user):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('login')}?next=/admin/"


# API token


def test_token_for_an_account_with_two_factor_needs_the_code(api_client, alice_2fa):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["otp"]


def test_token_with_a_wrong_code_is_refused_and_counted(api_client, alice_2fa, failures):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password", "otp": "000"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["otp"]
    assert failures == ["alice"]


def test_token_with_the_right_code_is_given(api_client, alice_2fa):
    code = current_code(alice_2fa[1])

    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password", "otp": code})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["token"]


def test_token_without_two_factor_needs_no_code(api_client, user):
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "password"})

    assert response.status_code == HTTPStatus.OK


def test_another_user_is_unaffected_by_alices_device(client, alice_2fa):
    UserFactory(username="bob")

    assert log_in(client, "bob").url == reverse("home")
