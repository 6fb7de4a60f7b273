"""A refused field on the list page says why under that field, which is marked invalid until it is right."""

import pytest
from playwright.sync_api import expect

from e2e.conftest import wait_saved

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_blank_list_name_shows_its_error_under_the_field_marked_invalid_until_corrected(list_page, todo_list):
    list_page.get_by_text("Rename").click()
    name = list_page.get_by_label("List name", exact=True)
    name.fill("   ")
    name.press("Enter")

    error = list_page.locator("#rename-error")
    expect(error).to_have_text("This field is required.")
    expect(error).to_have_attribute("role", "alert")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("This field is required.")
    expect(name).to_be_focused()
    expect(name).to_have_value("   ")  # what was typed stays, to be corrected
    assert error.bounding_box()["y"] > name.bounding_box()["y"]  # under it
    wait_saved(list_page)
    expect(list_page.locator("[data-alerts] .alert-error")).to_have_count(0)

    name.fill("Shopping")
    name.press("Enter")
    expect(list_page.locator(".list-title")).to_have_text("Shopping")
    wait_saved(list_page)
    todo_list.refresh_from_db()
    assert todo_list.name == "Shopping"


def test_a_blank_new_list_name_shows_its_error_under_the_field(list_page, user):
    name = list_page.get_by_label("New list name")
    name.fill("  ")
    name.press("Enter")

    expect(list_page.locator("#new-list-error")).to_have_text("This field is required.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("This field is required.")
    expect(name).to_have_value("  ")

    name.fill("Holiday")
    name.press("Enter")
    expect(list_page.locator("#side-lists")).to_contain_text("Holiday")
    expect(list_page.locator("#new-list-error")).to_be_hidden()
    expect(name).not_to_have_attribute("aria-invalid", "true")
    wait_saved(list_page)
