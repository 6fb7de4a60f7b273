"""The web app manifest (static/manifest.webmanifest): valid, served with its type, linked from every page."""

import json
import re
import struct
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

MANIFEST = "manifest.webmanifest"


@pytest.fixture
def manifest():
    return json.loads(Path(finders.find(MANIFEST)).read_text())


def css_variable(name: str) -> str:
    css = Path(finders.find("css/app.css")).read_text()
    return re.search(rf"--{name}: (#[0-9a-f]{{6}});", css).group(1)


def png_size(path: str) -> tuple[int, int]:
    header = Path(path).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_manifest_names_the_app_and_opens_the_site_standalone(manifest):
    assert manifest["name"] == "todoproject"
    assert manifest["short_name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == css_variable("accent")
    assert manifest["background_color"] == css_variable("background")


def test_manifest_icons_are_static_files_of_their_declared_size(manifest):
    pngs = [icon for icon in manifest["icons"] if icon["type"] == "image/png"]
    assert {icon["sizes"] for icon in pngs} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])  # relative to the manifest, which is at the root of the static files
        assert path, icon["src"]
        if icon["type"] == "image/png":
            width, height = png_size(path)
            assert f"{width}x{height}" == icon["sizes"]


def test_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get(static(MANIFEST))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/manifest+json"
    assert json.loads(b"".join(response.streaming_content))["name"] == "todoproject"


@pytest.mark.django_db
def test_pages_link_the_manifest_and_theme_colour(client):
    content = client.get(reverse("login")).content.decode()

    assert f'<link rel="manifest" href="{static(MANIFEST)}">' in content
    assert f'<meta name="theme-color" content="{css_variable("accent")}">' in content
