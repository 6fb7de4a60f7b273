"""TrustedProxyMiddleware: the client's address from X-Real-IP, believed from a trusted proxy only."""

import pytest
from django.test import RequestFactory

from core.middleware import TrustedProxyMiddleware


def remote_addr(settings, *, peer: str, real_ip: str | None) -> str:
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1", "::1"]
    headers = {} if real_ip is None else {"HTTP_X_REAL_IP": real_ip}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    return TrustedProxyMiddleware(lambda request: request.META["REMOTE_ADDR"])(request)


def test_a_trusted_proxys_x_real_ip_becomes_remote_addr(settings):
    assert remote_addr(settings, peer="127.0.0.1", real_ip="203.0.113.7") == "203.0.113.7"


def test_x_real_ip_from_anyone_else_is_ignored(settings):
    assert remote_addr(settings, peer="198.51.100.2", real_ip="203.0.113.7") == "198.51.100.2"


@pytest.mark.parametrize("real_ip", [None, "", "not an address", "203.0.113.7, 10.0.0.1"])
def test_a_trusted_proxy_without_a_valid_address_keeps_its_own(settings, real_ip):
    assert remote_addr(settings, peer="::1", real_ip=real_ip) == "::1"
