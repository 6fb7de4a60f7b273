"""Search: todos.selectors.todo_search on both databases, and core.search's bounds and highlighting."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from core.search import excerpt, highlight, search_terms
from todos.selectors import todo_search
from todos.tests.factories import LabelFactory, TodoFactory, TodoListFactory

pytestmark = pytest.mark.django_db
on_postgresql = connection.vendor == "postgresql"


def found(owner, query, **kwargs):
    return {todo.description for todo in todo_search(owner=owner, query=query, **kwargs)}


def test_search_finds_a_term_in_the_description_ignoring_case(user, todo_list):
    TodoFactory(list=todo_list, description="Buy MILK")
    TodoFactory(list=todo_list, description="Call mum")

    assert found(user, "milk") == {"Buy MILK"}


def test_search_finds_a_term_in_the_notes(user, todo_list):
    TodoFactory(list=todo_list, description="Shopping", notes="Remember the oat milk for the coffee.")
    TodoFactory(list=todo_list, description="Other", notes="Nothing here.")

    assert found(user, "milk") == {"Shopping"}


def test_search_finds_a_term_in_a_label_name(user, todo_list):
    errands = LabelFactory(owner=user, name="Errands")
    TodoFactory(list=todo_list, description="Post office", labels=[errands])
    TodoFactory(list=todo_list, description="Read a book")

    assert found(user, "errand") == {"Post office"}


def test_every_term_must_match_somewhere(user, todo_list):
    urgent = LabelFactory(owner=user, name="urgent")
    TodoFactory(list=todo_list, description="Pay the rent", labels=[urgent])
    TodoFactory(list=todo_list, description="Pay the gas bill")
    TodoFactory(list=todo_list, description="Water plants", labels=[urgent])

    assert found(user, "pay urgent") == {"Pay the rent"}
    assert found(user, "pay, rent") == {"Pay the rent"}


def test_search_searches_every_list_of_the_person_and_nobody_elses(user, other_user):
    mine, also_mine = TodoListFactory(owner=user), TodoListFactory(owner=user)
    theirs = TodoListFactory(owner=other_user)
    secret = LabelFactory(owner=other_user, name="milk")
    TodoFactory(list=mine, description="Milk")
    TodoFactory(list=also_mine, description="More milk")
    TodoFactory(list=theirs, description="Their milk")
    TodoFactory(list=theirs, description="Labelled", labels=[secret])

    assert found(user, "milk") == {"Milk", "More milk"}


def test_another_persons_label_never_matches_my_todo(user, other_user, todo_list):
    """Label names are matched among the person's own labels only."""
    theirs = LabelFactory(owner=other_user, name="zebra")
    todo = TodoFactory(list=todo_list, description="Mine")
    todo.labels.through.objects.create(todo=todo, label=theirs)  # cannot happen through the services

    assert found(user, "zebra") == set()


def test_an_empty_query_finds_nothing(user, todo_list):
    TodoFactory(list=todo_list, description="Milk")

    assert found(user, "") == set()
    assert found(user, "  , ") == set()


def test_search_keeps_to_the_todos_it_is_given(user, todo_list):
    other_list = TodoListFactory(owner=user)
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=other_list, description="Milk too")

    assert found(user, "milk", todos=todo_list.todos.all()) == {"Milk"}


@pytest.mark.parametrize(
    ("query", "code"), [("x" * 201, "max_length"), (" ".join("abcdefghijk"), "max_terms")], ids=["long", "terms"]
)
def test_search_refuses_a_query_out_of_bounds(user, query, code):
    with pytest.raises(ValidationError) as error:
        todo_search(owner=user, query=query)

    assert error.value.code == code


def test_search_terms_splits_on_spaces_and_commas_without_repeats():
    assert search_terms(" milk,bread  milk\tjam ") == ["milk", "bread", "jam"]
    assert search_terms("x" * 200) == ["x" * 200]
    assert len(search_terms(" ".join("abcdefghij"))) == 10


@pytest.mark.skipif(on_postgresql, reason="SQLite matches substrings; PostgreSQL's typo matching is tested below")
def test_on_sqlite_a_typo_finds_nothing(user, todo_list):
    TodoFactory(list=todo_list, description="Buy groceries")

    assert found(user, "groceris") == set()


@pytest.mark.skipif(not on_postgresql, reason="full-text and trigram search are PostgreSQL's")
# "groceris" has the stem of "groceries" (full-text finds it); "grocceries" does not (only trigrams do).
@pytest.mark.parametrize("typo", ["groceris", "grocceries"])
def test_on_postgresql_a_typo_finds_the_word(user, todo_list, typo):
    TodoFactory(list=todo_list, description="Buy groceries")
    TodoFactory(list=todo_list, description="Call the garage")

    assert found(user, typo) == {"Buy groceries"}


@pytest.mark.skipif(not on_postgresql, reason="full-text and trigram search are PostgreSQL's")
def test_on_postgresql_a_word_matches_its_other_forms(user, todo_list):
    TodoFactory(list=todo_list, description="Walk the dogs")

    assert found(user, "walking dog") == {"Walk the dogs"}


def test_stop_words_in_a_search_do_not_hide_what_the_other_words_find(user, todo_list):
    """Regression: on PostgreSQL "buy the milk" found nothing ("the" has no lexeme for full-text search)."""
    TodoFactory(list=todo_list, description="Buy the milk")
    TodoFactory(list=todo_list, description="Buy bread")

    assert found(user, "buy the milk") == {"Buy the milk"}
    assert found(user, "the") == {"Buy the milk"}  # stop words alone: what contains them


@pytest.mark.skipif(not on_postgresql, reason="ranking is PostgreSQL's")
def test_on_postgresql_the_best_match_comes_first(user, todo_list):
    TodoFactory(list=todo_list, description="Plan", notes="Something about the garden")
    TodoFactory(list=todo_list, description="Garden: weed the garden beds")
    TodoFactory(list=todo_list, description="Other", notes="garden")

    assert [todo.description for todo in todo_search(owner=user, query="garden")][0] == "Garden: weed the garden beds"


def test_highlight_marks_every_match_ignoring_case():
    assert highlight("Milk and more milk", ["milk"]) == "<mark>Milk</mark> and more <mark>milk</mark>"


def test_highlight_escapes_the_text_and_never_matches_inside_an_escape():
    text = '<script>alert("lt")</script> & <b>'

    marked = highlight(text, ["<", "lt", "amp"])

    assert marked == (
        "<mark>&lt;</mark>script&gt;alert(&quot;<mark>lt</mark>&quot;)<mark>&lt;</mark>/script&gt; "
        "&amp; <mark>&lt;</mark>b&gt;"
    )


def test_highlight_without_terms_only_escapes():
    assert highlight("<i>", []) == "&lt;i&gt;"


def test_excerpt_cuts_around_the_first_match_at_word_boundaries():
    text = " ".join(f"word{n}" for n in range(40)) + " milk " + " ".join(f"more{n}" for n in range(40))

    cut = excerpt(text, ["milk"], width=30)

    assert cut.startswith("…")
    assert cut.endswith("…")
    assert " milk " in cut
    assert len(cut) < 80
    assert all(word == "milk" or len(word) >= 5 for word in cut.strip("…").split())  # no word cut in half


def test_excerpt_of_text_without_a_match_is_empty():
    assert excerpt("Nothing here", ["milk"]) == ""


# The API's `?search=` of both todo collections is todo_search


def api_search(client, params, url=None):
    response = client.get(url or reverse("api:todo-list"), params)
    assert response.status_code == HTTPStatus.OK, response.content
    return [todo["description"] for todo in response.json()["results"]]


def test_api_search_finds_in_descriptions_notes_and_label_names_of_my_lists_only(
    auth_api_client, user, todo_list, others_list
):
    garden = LabelFactory(owner=user, name="Garden")
    TodoFactory(list=todo_list, description="Mow the lawn", labels=[garden])
    TodoFactory(list=TodoListFactory(owner=user), description="Seeds", notes="Buy garden seeds")
    TodoFactory(list=todo_list, description="Garden party")
    TodoFactory(list=others_list, description="Their garden")

    assert sorted(api_search(auth_api_client, {"search": "garden"})) == ["Garden party", "Mow the lawn", "Seeds"]
    assert api_search(auth_api_client, {"search": "garden lawn"}) == ["Mow the lawn"]


def test_api_search_of_a_lists_todos_keeps_to_that_list(auth_api_client, user, todo_list):
    TodoFactory(list=todo_list, description="Milk")
    TodoFactory(list=TodoListFactory(owner=user), description="More milk")
    url = reverse("api:todolist-todo-list", kwargs={"list_pk": todo_list.pk})

    assert api_search(auth_api_client, {"search": "milk"}, url) == ["Milk"]


def test_api_search_combines_with_filters_and_ordering(auth_api_client, todo_list):
    TodoFactory(list=todo_list, description="b milk")
    TodoFactory(list=todo_list, description="a milk", completed=True)
    TodoFactory(list=todo_list, description="c milk")

    assert api_search(auth_api_client, {"search": "milk", "ordering": "-description"}) == ["c milk", "b milk", "a milk"]
    assert api_search(auth_api_client, {"search": "milk", "completed": "true"}) == ["a milk"]


@pytest.mark.skipif(not on_postgresql, reason="typos and ranking are PostgreSQL's")
def test_api_search_on_postgresql_finds_typos_and_puts_the_best_match_first(auth_api_client, todo_list):
    TodoFactory(list=todo_list, description="Plan", notes="Buy groceries for the week")
    TodoFactory(list=todo_list, description="Buy groceries")

    assert api_search(auth_api_client, {"search": "grocceries"}) == ["Buy groceries"]
    assert api_search(auth_api_client, {"search": "groceries"}) == ["Buy groceries", "Plan"]
    assert api_search(auth_api_client, {"search": "groceries", "ordering": "position"}) == ["Plan", "Buy groceries"]


@pytest.mark.parametrize("rows", [1, 50])
def test_api_search_query_count_does_not_grow(auth_api_client, user, todo_list, rows, django_assert_num_queries):
    labels = LabelFactory.create_batch(2, owner=user)
    TodoFactory.create_batch(rows, list=todo_list, description="Buy milk", labels=labels)
    TodoFactory.create_batch(rows, list=TodoListFactory(owner=user), description="Other", notes="milk", labels=labels)

    with django_assert_num_queries(4):  # my lists' versions, count, page, the page's labels
        response = auth_api_client.get(reverse("api:todo-list"), {"search": "milk", "page_size": 100})

    assert response.json()["count"] == 2 * rows


def test_api_schema_describes_the_todo_search(auth_api_client):
    schema = auth_api_client.get(reverse("api:schema"), {"format": "json"}).json()

    parameters = {parameter["name"]: parameter for parameter in schema["paths"]["/api/todos/"]["get"]["parameters"]}

    assert "label name" in parameters["search"]["description"]
    assert parameters["search"]["schema"]["maxLength"] == 200


# The search page


def search_page(client, query, **params):
    return client.get(reverse("search"), {"q": query, **params})


def test_search_page_needs_a_login(client):
    response = search_page(client, "milk")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_search_page_without_a_query_says_what_to_do(auth_client):
    response = auth_client.get(reverse("search"))

    assert response.status_code == HTTPStatus.OK
    assert "to find todos in all your lists" in response.text


def test_search_page_without_results_says_so(auth_client, todo):
    response = search_page(auth_client, "zebra")

    assert response.status_code == HTTPStatus.OK
    assert "No todos match “zebra”." in response.text


def test_search_page_groups_results_by_list_with_links_and_highlights(auth_client, user, todo_list):
    other_list = TodoListFactory(owner=user, name="Work")
    milk = TodoFactory(list=todo_list, description="Buy milk")
    TodoFactory(list=other_list, description="Milk for the office", due_date=None)
    TodoFactory(list=todo_list, description="Bread")

    response = search_page(auth_client, "milk")

    page = response.text
    assert response.status_code == HTTPStatus.OK
    assert "2 todos found" in page
    groceries_at = page.index(f'<a href="{reverse("list_detail", args=[todo_list.pk])}">Groceries</a>')
    work_at = page.index(f'<a href="{reverse("list_detail", args=[other_list.pk])}">Work</a>')
    assert groceries_at < page.index("Buy <mark>milk</mark>") < work_at < page.index("<mark>Milk</mark> for the office")
    assert f'href="{reverse("list_detail", args=[todo_list.pk])}#todo-{milk.pk}"' in page
    assert "Bread" not in page


def test_search_page_shows_a_highlighted_notes_excerpt_and_labels(auth_client, user, todo_list):
    urgent = LabelFactory(owner=user, name="Urgent", colour="red")
    notes = "Ask at the desk. " * 10 + "The parcel number is on the card. " + "Bring ID. " * 10
    TodoFactory(list=todo_list, description="Post office", notes=notes, labels=[urgent], priority="high")

    page = search_page(auth_client, "parcel").text

    assert "The <mark>parcel</mark> number is on the card." in page
    assert "Ask at the desk. " * 10 not in page  # an excerpt, not all of the notes
    assert '<span class="chip chip-red">Urgent</span>' in page
    assert '<span class="priority priority-high">High</span>' in page


def test_search_page_finds_by_label_name_and_highlights_it(auth_client, user, todo_list):
    TodoFactory(list=todo_list, description="Call Bob", labels=[LabelFactory(owner=user, name="Phone")])

    page = search_page(auth_client, "phone").text

    assert "Call Bob" in page
    assert '<span class="chip chip-grey"><mark>Phone</mark></span>' in page


def test_search_page_escapes_user_text(auth_client, user, todo_list):
    TodoFactory(list=TodoListFactory(owner=user, name="<b>List</b>"), description="<script>alert(1)</script> milk")

    page = search_page(auth_client, "milk").text

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>milk</mark>" in page
    assert "&lt;b&gt;List&lt;/b&gt;" in page


def test_search_page_marks_a_term_of_markup_characters_without_breaking_the_escaping(auth_client, todo_list):
    TodoFactory(list=todo_list, description="<script>alert(1)</script>")

    page = search_page(auth_client, "<").text

    assert "<mark>&lt;</mark>script&gt;alert(1)<mark>&lt;</mark>/script&gt;" in page


def test_search_page_never_shows_another_persons_todos(auth_client, others_list):
    TodoFactory(list=others_list, description="Secret milk")

    page = search_page(auth_client, "milk").text

    assert "Secret" not in page
    assert "No todos match" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [("x" * 201, "at most 200 characters"), (" ".join("abcdefghijk"), "At most 10 search terms")],
    ids=["long", "terms"],
)
def test_search_page_refuses_a_query_out_of_bounds_with_400(auth_client, todo, query, message):
    response = search_page(auth_client, query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert 'aria-invalid="true"' in response.text


def test_search_page_shows_50_results_a_page(auth_client, todo_list):
    TodoFactory.create_batch(51, list=todo_list, description="Milk")

    first, second = search_page(auth_client, "milk").text, search_page(auth_client, "milk", page=2).text

    assert first.count('<li class="search-result') == 50
    assert "Page 1 of 2" in first
    assert "?q=milk&amp;page=2" in first
    assert second.count('<li class="search-result') == 1


@pytest.mark.skipif(not on_postgresql, reason="typos are found on PostgreSQL only")
def test_search_page_on_postgresql_finds_a_typo(auth_client, todo_list):
    TodoFactory(list=todo_list, description="Buy groceries")

    assert "Buy groceries" in search_page(auth_client, "grocceries").text


@pytest.mark.parametrize("rows", [1, 50])
def test_search_page_query_count_does_not_grow(auth_client, user, rows, django_assert_num_queries):
    labels = LabelFactory.create_batch(2, owner=user)
    for todo_list in TodoListFactory.create_batch(2, owner=user):
        TodoFactory.create_batch(rows, list=todo_list, description="Buy milk", labels=labels)

    with django_assert_num_queries(4):  # user (the session is cached), count, page (with lists), labels
        response = search_page(auth_client, "milk")

    assert response.text.count('<li class="search-result') == min(2 * rows, 50)
