"""What the benchmark requests: the one place to adjust URLs, bodies and the login routes after a merge.

A path is a template filled from the bench user's data (see `Targets` in bench/run.py):
`{list_100}`, `{list_writes}`, `{huge}`, `{huge_last_page}`; `{item}` takes each value of
`rotate` in turn (the todos of bench-100, or the four bench-50 lists), so concurrent writers spread
over rows instead of queueing on one row lock. Requests cycle through `bodies` once per round of
`rotate`, so a toggle sets a todo done, then open again on the next round.
"""

from dataclasses import dataclass

# How the benchmark logs in as `bench` (generate_data's user). `--auth` picks one.
LOGIN_PATH = "/accounts/login/"  # Django's LoginView: GET for the CSRF token, POST the form
TOKEN_PATH = "/api/token/"  # POST {"username", "password"} -> {"token": "..."}; sent as `Authorization: Token ...`

APP, PLAIN = "app", "plain"  # which server answers: the Django app (bench.settings) or bench/reference_wsgi.py


@dataclass(frozen=True)
class Endpoint:
    name: str
    label: str
    path: str
    method: str = "GET"
    server: str = APP
    auth: bool = True
    bodies: tuple[str, ...] = ()
    rotate: str | None = None  # a list in Targets whose values fill {item}
    kind: str = "read"  # "read" endpoints are the ones compared across data sizes
    reference: bool = False


# The plain-WSGI reference is the denominator of every ratio; keep it first.
REFERENCE = "plain_wsgi"
ENDPOINTS = [
    Endpoint(
        REFERENCE,
        "reference: plain WSGI + psycopg2, page of 50 todos",
        "/todos/?list={list_100}&page_size=50",
        server=PLAIN,
        auth=False,
        reference=True,
    ),
    Endpoint(
        "django_values",
        "reference: Django view, values() + JsonResponse, page of 50",
        "/bench/reference/todos/?list={list_100}&page_size=50",
        auth=False,
        reference=True,
    ),
    Endpoint("html_list_100", "HTML list page, 100 todos", "/lists/{list_100}/"),
    Endpoint("api_todos", "GET /api/todos/?list=..&page_size=50", "/api/todos/?list={list_100}&page_size=50"),
    Endpoint("api_lists", "GET /api/lists/", "/api/lists/"),
    Endpoint("api_orders", "GET /api/orders/ (with products)", "/api/orders/"),
    Endpoint("html_huge_first", "HTML huge list, first page", "/lists/{huge}/?page=1"),
    Endpoint("html_huge_last", "HTML huge list, last page", "/lists/{huge}/?page={huge_last_page}"),
    Endpoint(
        "api_todo_create",
        "POST /api/todos/ (create)",
        "/api/todos/",
        method="POST",
        bodies=('{{"list": {list_writes}, "description": "Benchmark todo"}}',),
        kind="write",
    ),
    Endpoint(
        "api_todo_toggle",
        "PATCH /api/todos/<id>/ (toggle)",
        "/api/todos/{item}/",
        method="PATCH",
        bodies=('{{"completed": true}}', '{{"completed": false}}'),
        rotate="todos_100",
        kind="write",
    ),
    Endpoint(
        "api_list_complete",
        "PATCH /api/lists/<id>/todos/ (complete 50)",
        "/api/lists/{item}/todos/",
        method="PATCH",
        bodies=('{{"completed": true}}', '{{"completed": false}}'),
        rotate="lists_50",
        kind="write",
    ),
]


# Many-user traffic (bench/wrk_users.lua): each request from a random person among the generated users
# (bench/population.py), on a random list of theirs. In a path or body {list} is that list's id, {todo}
# one of its first todos (the list is then one with todos), {bool} true or false at random.
TOKEN, SESSION, NONE = "token", "session", "none"  # a person's API token, their session cookie, nothing
READS, MIXED, WRITES = "reads", "80/20", "writes"


@dataclass(frozen=True)
class Request:
    weight: int
    method: str
    path: str
    auth: str
    body: str = ""


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    mix: str  # READS, MIXED or WRITES; a mix's scenarios run in the same interleaved rounds
    requests: tuple[Request, ...]
    server: str = APP
    role: str = "app"  # "app", "reference" (the plain-WSGI denominator of its mix) or "stock" (stock DRF)


TODOS_PAGE = Request(1, "GET", "/api/todos/?list={list}&page_size=50", TOKEN)
TOGGLE = Request(1, "PATCH", "/api/todos/{todo}/", TOKEN, '{"completed": {bool}}')
PLAIN_PAGE = Request(1, "GET", "/todos/?list={list}&page_size=50", NONE)
PLAIN_TOGGLE = Request(1, "PATCH", "/todos/{todo}/", NONE, '{"completed": {bool}}')


def _weighted(request: Request, weight: int) -> Request:
    return Request(weight, request.method, request.path, request.auth, request.body)


# In each mix the plain-WSGI reference comes first (the denominator of the mix's ratios).
SCENARIOS = [
    Scenario("plain_reads", "reference: plain WSGI + psycopg2, page of 50", READS, (PLAIN_PAGE,), PLAIN, "reference"),
    Scenario(
        "drf_todos",
        "reference: stock DRF ListAPIView + ModelSerializer, page of 50",
        READS,
        (Request(1, "GET", "/bench/drf/todos/?list={list}&page_size=50", TOKEN),),
        role="stock",
    ),
    Scenario("api_todos", "GET /api/todos/?list=..&page_size=50", READS, (TODOS_PAGE,)),
    Scenario("api_lists", "GET /api/lists/", READS, (Request(1, "GET", "/api/lists/", TOKEN),)),
    Scenario("html_list", "HTML list page /lists/<id>/", READS, (Request(1, "GET", "/lists/{list}/", SESSION),)),
    Scenario(
        "plain_mix",
        "reference: plain WSGI, 80% page of 50 / 20% toggle",
        MIXED,
        (_weighted(PLAIN_PAGE, 80), _weighted(PLAIN_TOGGLE, 20)),
        PLAIN,
        "reference",
    ),
    Scenario(
        "api_mix",
        "API: 80% GET page of 50 / 20% PATCH toggle",
        MIXED,
        (_weighted(TODOS_PAGE, 80), _weighted(TOGGLE, 20)),
    ),
    Scenario(
        "plain_writes", "reference: plain WSGI, toggle in one transaction", WRITES, (PLAIN_TOGGLE,), PLAIN, "reference"
    ),
    Scenario("api_toggle", "PATCH /api/todos/<id>/ (toggle)", WRITES, (TOGGLE,)),
]
