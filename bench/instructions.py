"""CPU instructions per request, counted by valgrind's callgrind: a figure that does not move with the machine's load.

    python -m bench.instructions                       # every request kind; writes bench/results/instructions.json
    python -m bench.instructions --only api_todos_cold,api_todos_warm --requests 40
    python -m bench.instructions --profile api_todos_cold   # where the time goes (cProfile, no valgrind)

It (re)creates the database <db-prefix>_instr (2e5 todos in 2,000 lists of 1,000 people with tokens
and sessions, as bench/run.py makes them), then runs this module under `valgrind --tool=callgrind`
(`--jobs` processes, the kinds shared out between them). In the process, each kind of request has
`warmup` requests, then `requests` (N) counted ones between two calls of os.getloadavg(), on which
callgrind dumps its counters (`--dump-before=getloadavg`): the part between the two is what the
program with N requests runs beyond the same program with none, and divided by N it is the figure
per request. (Startup, imports and warm-up fall outside the part; the process starts once for all
kinds, not twice per kind.) The application is called as gunicorn calls it (an environ dict with
wsgi.input, the body iterated, close() called), with bench.settings and DEBUG off, without the Django
test client. Cold requests come each from another person on another list (cache misses; every kind
has its own people), warm ones repeat the warm-up's last URL.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TOTALS = re.compile(r"^totals:\s*(\d+)", re.MULTILINE)
DATA = {"users": 1000, "lists": 2000, "todos": 200_000, "products": 20, "orders": 500, "huge-list": 10_000}
DATA_LABEL = "2e5 todos in 2,000 lists of 1,000 users (about 100 todos a list)"
MIN_TODOS = 50  # lists the cold pages read are full pages of 50


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    method: str
    path: str  # {list} and {todo} as in bench/endpoints.py
    auth: str = "token"  # token, session or none
    warm: bool = False  # the same URL (and person) as the last warm-up request
    app: str = "django"  # django (todoproject.wsgi) or plain (bench/reference_wsgi.py)
    body: str = ""


PAGE = "?list={list}&page_size=50"
KINDS = [
    Kind("api_todos_cold", "GET /api/todos/?list=..&page_size=50, cold", "GET", "/api/todos/" + PAGE),
    Kind("api_todos_warm", "GET /api/todos/?list=..&page_size=50, warm", "GET", "/api/todos/" + PAGE, warm=True),
    Kind("api_lists_cold", "GET /api/lists/, cold", "GET", "/api/lists/"),
    Kind("api_lists_warm", "GET /api/lists/, warm", "GET", "/api/lists/", warm=True),
    Kind("api_toggle", "PATCH /api/todos/<id>/ (toggle)", "PATCH", "/api/todos/{todo}/", body='{"completed": {bool}}'),
    Kind("html_list_cold", "HTML list page /lists/<id>/, cold", "GET", "/lists/{list}/", auth="session"),
    Kind("html_list_warm", "HTML list page /lists/<id>/, warm", "GET", "/lists/{list}/", auth="session", warm=True),
    Kind("drf_todos_cold", "stock DRF ListAPIView page of 50, cold", "GET", "/bench/drf/todos/" + PAGE),
    Kind("drf_todos_warm", "stock DRF ListAPIView page of 50, warm", "GET", "/bench/drf/todos/" + PAGE, warm=True),
    Kind("values", "minimal Django values() view, page of 50", "GET", "/bench/reference/todos/" + PAGE, auth="none"),
    Kind("nothing", "Django with no view work", "GET", "/bench/nothing/", auth="none"),
    Kind("plain", "bare WSGI + psycopg2, page of 50", "GET", "/todos/" + PAGE, auth="none", app="plain"),
    Kind(
        "plain_toggle",
        "bare WSGI + psycopg2, toggle",
        "PATCH",
        "/todos/{todo}/",
        auth="none",
        app="plain",
        body='{"completed": {bool}}',
    ),
]
BY_NAME = {kind.name: kind for kind in KINDS}


# The program valgrind runs


def environ(method: str, target: str, headers: dict, body: bytes) -> dict:
    """The WSGI environ gunicorn's sync worker builds for this request (gunicorn/http/wsgi.py)."""
    from gunicorn.http.wsgi import FileWrapper

    path, _, query = target.partition("?")
    env = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.file_wrapper": FileWrapper,
        "wsgi.input_terminated": True,
        "SERVER_SOFTWARE": "gunicorn/bench",
        "REQUEST_METHOD": method,
        "QUERY_STRING": query,
        "RAW_URI": target,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": "bench",
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        env[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    if body:
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def requests_for(kind: Kind, people: list[dict], count: int, warmup: int) -> list[tuple[str, dict, bytes]]:
    """`warmup` + `count` requests: (target, headers, body); cold ones each from another person and list.

    Each kind draws from its own share of the people, so no kind finds what another one cached.
    """
    firsts = ((p, next((item for item in p["lists"] if item[1] >= MIN_TODOS and item[2]), None)) for p in people)
    eligible = [(person, item) for person, item in firsts if item is not None]  # one list a person
    chosen = eligible[KINDS.index(kind) :: len(KINDS)][: warmup + count]
    if len(chosen) < warmup + count:
        raise SystemExit(f"only {len(chosen)} lists of {MIN_TODOS}+ todos for {kind.name}'s {warmup + count} requests")
    if kind.warm:
        chosen = chosen[:warmup] + [chosen[warmup - 1]] * count
    out = []
    for i, (person, (list_id, _, todos)) in enumerate(chosen):
        headers = {"Accept": "text/html" if kind.auth == "session" else "application/json"}
        if kind.auth == "token":
            headers["Authorization"] = f"Token {person['token']}"
        elif kind.auth == "session":
            headers["Cookie"] = person["cookie"]
        target = kind.path.replace("{list}", str(list_id)).replace("{todo}", str(todos[0]))
        body = kind.body.replace("{bool}", "true" if i % 2 else "false").encode()
        if body:
            headers["Content-Type"] = "application/json"
        out.append((target, headers, body))
    return out


def call(application, method: str, target: str, headers: dict, body: bytes) -> str:
    """Call the application once as a WSGI server does; return the status line."""
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = status
        return lambda data: None

    result = application(environ(method, target, headers, body), start_response)
    try:
        for _ in result:
            pass
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"]


def load_application(kind: Kind):
    if kind.app == "plain":
        from bench.reference_wsgi import application
    else:
        from todoproject.wsgi import application
    return application


def run_requests(kinds: list[Kind], people_file: Path, count: int, warmup: int) -> None:
    """Each kind's warm-up, then its `count` requests between two markers (os.getloadavg, see the docstring)."""
    people = json.loads(people_file.read_text())
    for kind in kinds:
        application = load_application(kind)
        requests = [(kind.method, *r) for r in requests_for(kind, people, count, warmup)]
        checked(application, requests[:warmup])
        os.getloadavg()  # callgrind dumps here: the counted part starts
        checked(application, requests[warmup:])
        os.getloadavg()  # and ends here


def checked(application, requests) -> None:
    for method, target, headers, body in requests:
        status = call(application, method, target, headers, body)
        if not status.startswith("2"):
            raise SystemExit(f"{method} {target} answered {status}")


# The harness


def prepare(args, env: dict) -> Path:
    from bench.run import prepare_database, recreate_database

    people = RESULTS / "instructions-people.json"
    name = f"{args.db_prefix}_instr"
    if args.reuse_db and people.exists():
        return people
    log(f"creating database {name}: {DATA_LABEL}")
    recreate_database(args.database_url, name)
    prepare_database(env)
    manage(env, "generate_data", *(f"--{k}={v}" for k, v in DATA.items()), "-v0")
    subprocess.run([sys.executable, "-m", "bench.population", str(people)], cwd=ROOT, env=env, check=True)
    return people


def manage(env: dict, *arguments: str) -> None:
    # Loading a million rows and indexing them may take longer than the app's statement timeout.
    env = {"DJANGO_DB_STATEMENT_TIMEOUT": "0", **env}
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def count_instructions(kinds: list[Kind], people: Path, args, env: dict, out_dir: Path) -> list[dict]:
    """Run `kinds` in one process under callgrind; instructions per request of each, from its counted part."""
    out = out_dir / f"callgrind.{kinds[0].name}"
    for old in out_dir.glob(f"{out.name}*"):
        old.unlink()
    command = ["valgrind", "--tool=callgrind", "--dump-before=getloadavg", f"--callgrind-out-file={out}"]
    command += [sys.executable, "-m", "bench.instructions", "--inner", ",".join(k.name for k in kinds)]
    command += ["--people", str(people), "--requests", str(args.requests), "--warmup", str(args.warmup)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if done.returncode:
        raise RuntimeError(f"{', '.join(k.name for k in kinds)} failed:\n{done.stderr[-3000:]}")
    rows = []
    for i, kind in enumerate(kinds):
        part = out.with_name(f"{out.name}.{2 * i + 2}")  # .1 is startup and the first warm-up
        counted = int(TOTALS.search(part.read_text()).group(1))
        part.rename(out_dir / f"callgrind.{kind.name}.counted")  # for --annotate
        rows.append({"name": kind.name, "label": kind.label, "instructions": counted / args.requests})
        log(f"{kind.name:<16} {counted / args.requests / 1e6:7.2f} M instructions per request")
    return rows


def annotate(kind: Kind, out_dir: Path, lines: int = 30) -> str:
    """callgrind_annotate's top functions by inclusive count in the kind's counted part (C level)."""
    path = out_dir / f"callgrind.{kind.name}.counted"
    done = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", str(path)], capture_output=True, text=True, check=True
    )
    return "\n".join(done.stdout.splitlines()[: lines + 20])


# What a Python-level profile is grouped into: (label, file ending, function).
PROFILE_GROUPS = [
    ("URL resolution", "django/urls/resolvers.py", "resolve"),
    ("middleware + view (whole request)", "django/core/handlers/base.py", "get_response"),
    ("session load", "django/contrib/sessions/backends/base.py", "_get_session"),
    ("user from session", "django/contrib/auth/__init__.py", "get_user"),
    ("DRF authentication", "rest_framework/request.py", "_authenticate"),
    ("DRF permissions", "rest_framework/views.py", "check_permissions"),
    ("DRF throttles", "rest_framework/views.py", "check_throttles"),
    ("DRF content negotiation", "rest_framework/views.py", "perform_content_negotiation"),
    ("DRF view (handler)", "rest_framework/views.py", "dispatch"),
    ("DRF response rendering", "rest_framework/response.py", "rendered_content"),
    ("template rendering", "django/template/backends/django.py", "render"),
    ("SQL (cursor.execute)", "django/db/backends/utils.py", "execute"),
    ("ORM query compilation", "django/db/models/sql/compiler.py", "as_sql"),
    ("cache get", "django/core/cache/backends/locmem.py", "get"),
    ("cache get (redis)", "django/core/cache/backends/redis.py", "get"),
    ("JSON encoding", "json/encoder.py", "encode"),
]


def profile(kind: Kind, people: Path, requests: int, warmup: int) -> str:
    """cProfile over `requests` requests after the warm-up, grouped (PROFILE_GROUPS) and the top functions."""
    application = load_application(kind)
    calls = requests_for(kind, json.loads(people.read_text()), requests, warmup)
    for target, headers, body in calls[:warmup]:
        call(application, kind.method, target, headers, body)
    profiler = cProfile.Profile()
    profiler.enable()
    for target, headers, body in calls[warmup:]:
        call(application, kind.method, target, headers, body)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)
    lines = [f"{kind.name}: {requests} requests, {1000 * total / requests:.2f} ms of profiled time each", ""]
    for label, filename, function in PROFILE_GROUPS:
        cumulative = sum(
            entry[3]
            for (file, _, name), entry in stats.stats.items()
            if file.endswith(filename) and name == function and _outermost(stats, (file, _, name), filename, function)
        )
        if cumulative:
            lines.append(f"  {label:<36} {100 * cumulative / total:5.1f}%")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(30)
    return "\n".join(lines) + "\n" + out.getvalue()


def _outermost(stats, key, filename, function) -> bool:
    """True unless every caller of `key` is `key` itself (recursive calls would count twice)."""
    callers = stats.stats[key][4]
    return not callers or any(caller != key for caller in callers)


def log(message: str) -> None:
    print(f"[instructions] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="N, the requests counted per kind")
    parser.add_argument("--warmup", type=int, default=10, help="requests before the counted ones, in both runs")
    parser.add_argument("--only", default="", help=f"comma-separated kinds: {', '.join(BY_NAME)}")
    parser.add_argument("--profile", default="", help="comma-separated kinds to profile with cProfile instead")
    parser.add_argument("--annotate", action="store_true", help="print callgrind_annotate's top functions per kind")
    parser.add_argument("--jobs", type=int, default=2, help="valgrind processes, the kinds shared between them")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--db-prefix", default="todo_bench")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database and people of the last run")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database afterwards")
    parser.add_argument("--inner", default="", help=argparse.SUPPRESS)
    parser.add_argument("--people", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = [n for n in (args.only or args.profile).split(",") if n] or list(BY_NAME)
    unknown = set(names) - set(BY_NAME)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    args.kinds = [BY_NAME[n] for n in names]
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.inner:  # the program valgrind runs
        run_requests([BY_NAME[name] for name in args.inner.split(",")], args.people, args.requests, args.warmup)
        return 0
    from bench.report import write_markdown
    from bench.run import machine, recreate_database

    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"{args.db_prefix}_instr"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"{args.database_url.rstrip('/')}/{name}",
        "PYTHONHASHSEED": "0",  # the same dict and set layouts in both runs of a kind
    }
    for variable in ("REDIS_URL", "BENCH_CACHE_STATS"):
        env.pop(variable, None)  # the single-server default, no counting wrapper
    if args.reuse_db:
        secret = RESULTS / "instructions-secret"  # sessions are signed with it
        env["DJANGO_SECRET_KEY"] = secret.read_text() if secret.exists() else env["DJANGO_SECRET_KEY"]
        secret.write_text(env["DJANGO_SECRET_KEY"])
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": "sqlite://:memory:"},
        check=True,
    )
    people = prepare(args, env)
    if not args.reuse_db:
        (RESULTS / "instructions-secret").write_text(env["DJANGO_SECRET_KEY"])
    try:
        if args.profile:
            os.environ.update(env)
            import django

            django.setup()
            for kind in args.kinds:
                print(profile(kind, people, args.requests, args.warmup))
            return 0
        if not shutil.which("valgrind"):
            raise SystemExit("valgrind is not installed (apt-get install valgrind)")
        out_dir = RESULTS / "callgrind"
        out_dir.mkdir(exist_ok=True)
        shares = [args.kinds[i :: args.jobs] for i in range(args.jobs) if args.kinds[i :: args.jobs]]
        with ThreadPoolExecutor(len(shares)) as pool:
            parts = list(pool.map(lambda share: count_instructions(share, people, args, env, out_dir), shares))
        found = {row["name"]: row for part in parts for row in part}
        rows = [found[kind.name] for kind in args.kinds]
        if args.annotate:
            for kind in args.kinds:
                print(f"== {kind.name}\n{annotate(kind, out_dir)}\n")
    finally:
        if not args.keep_db and not args.reuse_db:
            recreate_database(args.database_url, name, drop_only=True)
    data = {
        "machine": machine(),
        "requests": args.requests,
        "warmup": args.warmup,
        "data": DATA_LABEL,
        "rows": rows,
    }
    print_table(rows)
    (RESULTS / "instructions.json").write_text(json.dumps(data, indent=2))
    benchmarks = RESULTS / "benchmarks.json"
    if benchmarks.exists():  # the report holds both: re-render it with these counts
        write_markdown(json.loads(benchmarks.read_text()), ROOT / "docs" / "benchmarks.md")
    log(f"done in {time.monotonic() - started:.0f}s; bench/results/instructions.json")
    return 0


def print_table(rows: list[dict]) -> None:
    by_name = {r["name"]: r["instructions"] for r in rows}
    stock, values = by_name.get("drf_todos_cold"), by_name.get("values")
    print(f"{'request':<44} {'M instr':>8} {'x DRF':>6} {'x values':>8}")
    for r in rows:
        print(
            f"{r['label']:<44} {r['instructions'] / 1e6:8.2f}"
            f" {r['instructions'] / stock if stock else float('nan'):6.2f}"
            f" {r['instructions'] / values if values else float('nan'):8.2f}"
        )


if __name__ == "__main__":
    sys.exit(main())
