"""Your data in the browser: download the export from the Account page, then import it into another account."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_download_the_export_then_import_it_as_another_person(page, login, live_server, user, tmp_path):
    groceries = TodoListFactory(owner=user, name="Groceries")
    TodoFactory(list=groceries, description="Buy milk", priority="high").labels.set(
        [LabelFactory(owner=user, name="shop")]
    )
    TodoFactory(list=TodoListFactory(owner=user, name="Garden"), description="Mow the lawn")
    login(user)
    page.goto(live_server.url + reverse("account"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("todoproject-export-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = json.loads(path.read_text())
    assert [item["name"] for item in document["lists"]] == ["Groceries", "Garden"]

    page.context.clear_cookies()
    login(UserFactory(username="bob"))
    page.goto(live_server.url + reverse("account"))
    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.locator("#alerts")).to_contain_text("Imported 2 lists, 2 todos, 1 label and 0 orders.")
    page.goto(live_server.url + reverse("home"))
    sidebar = page.locator("[data-sidebar]")
    expect(sidebar).to_contain_text("Groceries")
    expect(sidebar).to_contain_text("Garden")
    page.locator("[data-sidebar]").get_by_role("link", name="Groceries", exact=True).click()
    expect(page.locator(".todo-list li label")).to_have_text(["Buy milk"])


def test_a_bad_file_is_refused_on_the_account_page_with_its_reason(page, login, live_server, user, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "todoproject-export", "version": 2, "lists": []}')
    login(user)
    page.goto(live_server.url + reverse("account"))
    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".field-error")).to_have_text("version: 2 is not a version this site reads (it reads 1).")
