"""Benchmark runner: generate data, serve the app as production does, drive it with wrk, report.

    python -m bench                          # 1e3, 1e5 and 1e6 todos; writes docs/benchmarks.{md,png}
    python -m bench --quick                  # ~12 minutes: 1e3 and 1e6, 16 connections, scenarios only
    python -m bench --scales 1e3 --duration 3
    python -m bench --smoke                  # about a minute: 1e3 and 2e3 todos, 1 s per run, in bench/results/

For each scale it (re)creates the PostgreSQL database <db-prefix>_<scale>, migrates it, runs
generate_data (at least 1,000 users), gives the generated users tokens and sessions
(bench/population.py), and serves the plain-WSGI references (bench/reference_wsgi.py). Then, once
per cache setup (`--caches`: the single-server default without REDIS_URL, and REDIS_URL, the
several-server setup), it starts the app with gunicorn and runs the many-user scenarios
(bench/endpoints.py SCENARIOS, bench/wrk_users.lua: each request from a random person on a random
list of theirs; reads only, 80/20, writes only), each mix's scenarios in the same interleaved rounds
with its plain reference and, for reads, stock DRF, so the ratios hold while the machine's load
drifts; every cache lookup is counted (bench/cache.py) for each scenario's hit rates. Unless
--quick, the single-URL endpoints of the user `bench` (bench/endpoints.py ENDPOINTS) follow, each
paired with the reference. With more than one scale it then serves the smallest and the largest side
by side and measures `bench`'s per-user pages on both in alternating rounds: how their latency grows
with the data.
An endpoint that does not answer is a failure unless --allow-missing (until the UI and API exist).
Any non-2xx answer or socket error under load is a failure. Exit status 1 on any failure.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from contextlib import ExitStack, closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg2

from bench import cache as cache_stats
from bench import endpoints as config
from bench.report import PER_USER_PAGES, scale_label, write_chart, write_markdown

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("wrk_report.lua")
USERS_LUA = Path(__file__).with_name("wrk_users.lua")
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs"
BENCH_USER, BENCH_PASSWORD = "bench", "bench-password"  # created by generate_data

# gunicorn as the README's production command runs it (sync workers), 2 per core: a CPU-bound
# Django request keeps one core busy, and the second worker per core covers the moments a worker
# waits on PostgreSQL. More workers (gunicorn's 2 x cores + 1 starting point, or gthread) only add
# context switches on 2 cores shared with PostgreSQL and wrk; a sweep of 2, 4, 5 sync and 2x4, 4x2
# gthread at 1e3 todos was within this shared machine's noise (x2 between identical runs), so
# --workers, --worker-class and --threads are there to re-check on a quiet machine.
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1)


@dataclass
class Targets:
    """The bench user's rows that the endpoint templates refer to."""

    list_100: int
    list_writes: int
    huge: int
    huge_last_page: int
    todos_100: list[int]
    lists_50: list[int]

    def paths(self, endpoint: config.Endpoint) -> list[str]:
        values = asdict(self)
        items = values[endpoint.rotate] if endpoint.rotate else [None]
        return [endpoint.path.format(item=item, **values) for item in items]

    def bodies(self, endpoint: config.Endpoint) -> list[str]:
        return [body.format(**asdict(self)) for body in endpoint.bodies]


@dataclass
class Measurement:
    scale: int
    endpoint: str
    label: str
    kind: str
    connections: int
    status: str  # "ok", "failed" (errors under load), "missing" (did not answer 2xx before the run)
    detail: str = ""
    requests_per_s: float = 0.0
    latency_ms: dict = field(default_factory=dict)
    errors: int = 0
    reference_rps: float | None = None  # the plain-WSGI reference, measured just before this run
    ratio: float | None = None


MIN_USERS = 1000  # the many-user scenarios' people


def scale_params(total: int, smoke: bool) -> dict:
    """generate_data options for `total` todos; the bench user's lists are the same at every scale."""
    return {
        "users": max(MIN_USERS, total // 1000),
        "lists": max(MIN_USERS + 10, total // 100),
        "todos": total,
        "products": 20 if smoke else 200,
        "orders": max(50, total // 200),
        "huge-list": min(100_000, total // 10),
    }


def parse_scale(text: str) -> int:
    value = float(text)
    if value < 1000 or value != int(value):
        raise argparse.ArgumentTypeError(f"a scale is a whole number of todos >= 1000, not {text!r}")
    return int(value)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--smoke", action="store_true", help="seconds-long run for CI: 1e3 and 2e3 todos, 1 s, 4 connections"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="~12 minutes: 1e3 and 1e6 todos, 16 connections, 2 rounds of 4 s, the scenarios and the growth check",
    )
    parser.add_argument(
        "--caches",
        default="local,redis",
        help="cache setups, comma-separated: local (no REDIS_URL, the single-server default), redis (REDIS_URL)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="flushed before each app start")
    parser.add_argument("--people", type=int, default=MIN_USERS, help="generated users sending the scenarios")
    parser.add_argument("--scales", default=None, help="total todos per run, comma-separated (default 1e3,1e5,1e6)")
    parser.add_argument("--connections", default=None, help="wrk connection counts (default 4,16; smoke 4)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per round (default 3; smoke 1)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per endpoint and connection count (default 3)")
    parser.add_argument("--warmup", type=int, default=None, help="seconds of unrecorded load before each run")
    parser.add_argument(
        "--only", default="", help="comma-separated scenario and endpoint names (see bench/endpoints.py)"
    )
    parser.add_argument(
        "--auth",
        choices=["clients", "session", "token"],
        default="clients",
        help="clients (default): a token for /api/, as API clients send it, and the session for pages;"
        " or one of the two for every endpoint",
    )
    parser.add_argument(
        "--allow-missing",
        action="store_true",
        help="skip endpoints that do not answer 2xx before the run instead of failing (for trees without UI/API)",
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--db-prefix", default="todo_bench", help="databases are named <prefix>_<scale>")
    parser.add_argument("--reuse-db", action="store_true", help="keep an existing database instead of regenerating")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the databases afterwards")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--output", default=None, help="directory for the markdown and PNG (default docs/)")
    args = parser.parse_args(argv)
    if args.smoke and args.quick:
        parser.error("--smoke or --quick, not both")
    scales = "1e3,2e3" if args.smoke else "1e3,1e6" if args.quick else "1e3,1e5,1e6"
    args.scales = [parse_scale(s) for s in (args.scales or scales).split(",")]
    connections = "4" if args.smoke else "16" if args.quick else "4,16"
    args.connections = [int(c) for c in (args.connections or connections).split(",")]
    args.duration = args.duration or (1 if args.smoke else 4 if args.quick else 3)
    args.rounds = args.rounds or (1 if args.smoke else 2 if args.quick else 3)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.smoke else 1 if args.quick else 2)
    args.output = Path(args.output) if args.output else (RESULTS if args.smoke else DOCS)
    args.caches = [name for name in args.caches.split(",") if name]
    if set(args.caches) - {"local", "redis"} or not args.caches:
        parser.error("--caches takes local, redis or both")
    args.only = {name for name in args.only.split(",") if name}
    unknown = args.only - {e.name for e in config.ENDPOINTS} - {s.name for s in config.SCENARIOS}
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(sorted(unknown))}")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")
    return args


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# Database


def admin_connection(base_url: str):
    connection = psycopg2.connect(f"{base_url.rstrip('/')}/postgres")
    connection.autocommit = True
    return connection


def database_exists(base_url: str, name: str) -> bool:
    with closing(admin_connection(base_url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def recreate_database(base_url: str, name: str, *, drop_only: bool = False) -> None:
    connection = admin_connection(base_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def find_targets(database_url: str) -> Targets:
    with closing(psycopg2.connect(database_url)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.name, l.id, COUNT(t.id) FROM todos_todolist l JOIN auth_user u ON u.id = l.owner_id"
            " LEFT JOIN todos_todo t ON t.list_id = l.id WHERE u.username = %s GROUP BY l.name, l.id",
            [BENCH_USER],
        )
        lists = {name: (list_id, count) for name, list_id, count in cursor.fetchall()}
        cursor.execute("SELECT id FROM todos_todo WHERE list_id = %s ORDER BY position, id", [lists["bench-100"][0]])
        todos_100 = [row[0] for row in cursor.fetchall()]
    huge_id, huge_count = lists["bench-huge"]
    return Targets(
        list_100=lists["bench-100"][0],
        list_writes=lists["bench-writes"][0],
        huge=huge_id,
        huge_last_page=max(1, math.ceil(huge_count / 100)),
        todos_100=todos_100,
        lists_50=[list_id for name, (list_id, _) in sorted(lists.items()) if name.startswith("bench-50-")],
    )


# Processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A gunicorn process group on 127.0.0.1, stopped (by its own process group id) on exit."""

    def __init__(self, name: str, app: str, env: dict, args, log_dir: Path):
        self.name, self.port = name, free_port()
        self.log_path = log_dir / f"{name}.log"
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(args.workers), "--worker-class", args.worker_class, "--threads", str(args.threads)]
        command += ["--log-level", "warning", "--error-logfile", str(self.log_path)]
        self.command, self.env = command, env

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log_path}")
            try:
                request("GET", self.port, "/")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not start within 30 s; see {self.log_path}")

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def request(method: str, port: int, path: str, body: str | bytes | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies_from(headers) -> dict:
    """Cookie values from Set-Cookie headers (ignoring attributes such as Secure: this is plain HTTP)."""
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    return cookies


def login(port: int, auth: str) -> dict:
    """Return the headers that authenticate `bench` for reads and for writes, keyed by endpoint kind.

    "api" headers go with /api/ endpoints, "page" headers with the rest. By default (`clients`) each is
    what its real clients send: API clients a token, the site's pages the session cookie.
    """
    if auth == "clients":
        return {"api": login(port, "token")["api"], "page": login(port, "session")["page"]}
    headers = _login(port, auth)
    return {"api": headers, "page": headers}


def _login(port: int, auth: str) -> dict:
    if auth == "token":
        body = json.dumps({"username": BENCH_USER, "password": BENCH_PASSWORD})
        status, _, content = request("POST", port, config.TOKEN_PATH, body, {"Content-Type": "application/json"})
        if status != 200:
            raise RuntimeError(f"POST {config.TOKEN_PATH} answered {status}")
        return {"Authorization": f"Token {json.loads(content)['token']}"}
    status, headers, content = request("GET", port, config.LOGIN_PATH)
    if status != 200:
        raise RuntimeError(f"GET {config.LOGIN_PATH} answered {status}")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    cookies = cookies_from(headers)
    if not match or "csrftoken" not in cookies:
        raise RuntimeError(f"{config.LOGIN_PATH} has no CSRF token")
    form = urllib.parse.urlencode(
        {"username": BENCH_USER, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
    )
    status, headers, _ = request(
        "POST",
        port,
        config.LOGIN_PATH,
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}"},
    )
    cookies.update(cookies_from(headers))  # login rotates the CSRF token
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"POST {config.LOGIN_PATH} answered {status} without a session (wrong password?)")
    return {
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "X-CSRFToken": cookies["csrftoken"],
    }


def request_headers(endpoint: config.Endpoint, auth_headers: dict) -> dict:
    api = endpoint.path.startswith("/api/")
    headers = {"Accept": "application/json" if api else "text/html"}
    if endpoint.auth:
        headers.update(auth_headers["api" if api else "page"])
    if endpoint.bodies:
        headers["Content-Type"] = "application/json"
    return headers


def run_wrk(port, method, paths, bodies, headers, connections, duration) -> dict:
    env = {
        "BENCH_METHOD": method,
        "BENCH_PATHS": "\n".join(paths),
        "BENCH_BODIES": "\n".join(bodies),
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
    }
    return _wrk(port, LUA, env, paths[0], connections, duration)


def run_wrk_users(port, scenario: config.Scenario, people_file: Path, connections, duration) -> dict:
    """Load `scenario`'s requests, each from a random person of `people_file` (bench/wrk_users.lua)."""
    env = {
        "BENCH_PEOPLE": str(people_file),
        "BENCH_REQUESTS": "\n".join(f"{r.weight}\t{r.method}\t{r.path}\t{r.auth}\t{r.body}" for r in scenario.requests),
    }
    return _wrk(port, USERS_LUA, env, "/", connections, duration)


def _wrk(port, script: Path, env: dict, path: str, connections, duration) -> dict:
    # One wrk thread: it drives thousands of requests/s, and every core it leaves is the server's.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    return json.loads(line.removeprefix("BENCH_RESULT "))


# The run


def database_name(args, total: int) -> str:
    return f"{args.db_prefix}_{scale_label(total)}"


def database_url(args, total: int) -> str:
    return f"{args.database_url.rstrip('/')}/{database_name(args, total)}"


def run_scale(args, total: int, base_env: dict, log_dir: Path, *, drop: bool) -> tuple[list, list]:
    """Measure the scenarios and endpoints at this data size; `drop` the database afterwards (unless kept)."""
    label, name = scale_label(total), database_name(args, total)
    env = {**base_env, "DATABASE_URL": database_url(args, total)}
    people_json = log_dir / f"people-{label}.json"
    if args.reuse_db and database_exists(args.database_url, name) and people_json.exists():
        log(f"{label}: reusing database {name}")
    else:
        log(f"{label}: creating database {name}, migrating, generating data")
        recreate_database(args.database_url, name)
        prepare_database(env)
        params = scale_params(total, args.smoke)
        started = time.monotonic()
        manage(env, "generate_data", *(f"--{key}={value}" for key, value in params.items()), "-v0")
        log(f"{label}: generated {total} todos in {time.monotonic() - started:.1f}s")
        subprocess.run(
            [sys.executable, "-m", "bench.population", str(people_json), f"--users={args.people}"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    people = json.loads(people_json.read_text())
    people_file = log_dir / f"people-{label}.txt"
    write_people(people, people_file)
    targets = find_targets(env["DATABASE_URL"])
    selected = [e for e in config.ENDPOINTS if (e.name in args.only if args.only else not args.quick)]
    if selected and not any(e.name == config.REFERENCE for e in selected):
        selected.insert(0, next(e for e in config.ENDPOINTS if e.name == config.REFERENCE))
    measurements, scenarios = [], []
    # The smoke run measures at its smallest scale only; the larger one is there for the growth check.
    caches = [] if args.smoke and total != min(args.scales) else args.caches
    try:
        with Server("plain", "bench.reference_wsgi:application", env, args, log_dir) as plain:
            for cache in caches:
                app_env, stats_dir = cache_env(args, env, cache, log_dir / f"cache-{label}-{cache}")
                with Server(f"app-{cache}", "todoproject.wsgi", app_env, args, log_dir) as app:
                    ports = {config.APP: app.port, config.PLAIN: plain.port}
                    scenarios += measure_scenarios(args, total, cache, ports, people, people_file, stats_dir)
                    if cache == args.caches[0] and selected:
                        measurements += measure_endpoints(args, total, selected, targets, ports, label)
    finally:
        if drop:
            drop_database(args, total)
    add_ratios(measurements)
    return measurements, scenarios


def prepare_database(env: dict) -> None:
    """Migrate; create the table of Django's DatabaseCache, which the app may use without REDIS_URL."""
    manage(env, "migrate", "--noinput", "-v0")
    # With the production settings: bench.settings may wrap the caches, and createcachetable skips wrappers.
    manage({**env, "DJANGO_SETTINGS_MODULE": "todoproject.settings"}, "createcachetable")


def cache_env(args, env: dict, cache: str, stats_dir: Path) -> tuple[dict, Path]:
    """The app's environment for a cache setup, counting its cache lookups in a fresh `stats_dir`."""
    shutil.rmtree(stats_dir, ignore_errors=True)
    stats_dir.mkdir(parents=True)
    app_env = {**env, "BENCH_CACHE_STATS": str(stats_dir)}
    app_env.pop("REDIS_URL", None)
    if cache == "redis":
        import redis  # in requirements.txt (Django's RedisCache uses it)

        redis.Redis.from_url(args.redis_url).flushdb()  # no page or count left from an earlier run
        app_env["REDIS_URL"] = args.redis_url
    return app_env, stats_dir


def write_people(people: list[dict], path: Path) -> None:
    """One person a line for bench/wrk_users.lua: token, cookie, then list_id:size:todo_id,... per list."""
    lines = []
    for person in people:
        lists = ";".join(f"{list_id}:{size}:{','.join(map(str, todos))}" for list_id, size, todos in person["lists"])
        lines.append(f"{person['token']}\t{person['cookie']}\t{lists}")
    path.write_text("\n".join(lines) + "\n")


def measure_endpoints(args, total, selected, targets, ports, label) -> list[Measurement]:
    """The single-URL endpoints of the user `bench`, each paired with the plain reference."""
    try:
        auth_headers = login(ports[config.APP], args.auth)
    except RuntimeError as error:
        log(f"{label}: cannot log in as {BENCH_USER}: {error}")
        auth_headers = None
    reference = next(e for e in config.ENDPOINTS if e.name == config.REFERENCE)
    measurements = []
    for endpoint in selected:
        measurements += measure(args, total, endpoint, targets, ports, auth_headers, reference)
    return measurements


def selected_scenarios(args) -> list[config.Scenario]:
    """The scenarios asked for, with the reference (and, for reads, stock DRF) of each mix they belong to."""
    if not args.only:
        return list(config.SCENARIOS)
    asked = [s for s in config.SCENARIOS if s.name in args.only]
    mixes = {s.mix for s in asked}
    return [
        s
        for s in config.SCENARIOS
        if s in asked or (s.mix in mixes and (s.role == "reference" or (s.role == "stock" and s.mix == config.READS)))
    ]


def fill(template: str, person: dict) -> str:
    """`template` for a person's first list with todos, as bench/wrk_users.lua fills it."""
    list_id, _, todos = next(item for item in person["lists"] if item[2])
    return template.replace("{list}", str(list_id)).replace("{todo}", str(todos[0])).replace("{bool}", "false")


def check_scenario(scenario: config.Scenario, port: int, person: dict) -> str:
    """ "" if every kind of the scenario's requests answers 2xx for `person`, else what answered."""
    for r in scenario.requests:
        headers = {"Accept": "text/html" if r.auth == config.SESSION else "application/json"}
        if r.auth == config.TOKEN:
            headers["Authorization"] = f"Token {person['token']}"
        elif r.auth == config.SESSION:
            headers["Cookie"] = person["cookie"]
        body = fill(r.body, person).encode() if r.body else None
        if body:
            headers["Content-Type"] = "application/json"
        path = fill(r.path, person)
        status, _, _ = request(r.method, port, path, body, headers)
        if not 200 <= status < 300:
            return f"{r.method} {path} answered {status}"
    return ""


def measure_scenarios(args, total, cache, ports, people, people_file, stats_dir) -> list[dict]:
    """Each mix's scenarios at each connection count, in interleaved rounds; hit rates from the lookups counted."""
    label, out = scale_label(total), []
    by_mix = {}
    for scenario in selected_scenarios(args):
        by_mix.setdefault(scenario.mix, []).append(scenario)
    for mix, group in by_mix.items():
        ready, missing = [], {}
        for scenario in group:
            problem = check_scenario(scenario, ports[scenario.server], people[0])
            if problem:
                log(f"{label} {cache}: {scenario.name}: {problem}")
                missing[scenario.name] = problem
            else:
                ready.append(scenario)
        for connections in args.connections:
            runs = {s.name: [] for s in ready}
            lookups = {s.name: {} for s in ready}
            if args.warmup:
                for scenario in ready:
                    run_wrk_users(ports[scenario.server], scenario, people_file, connections, args.warmup)
            for _ in range(args.rounds):
                # Interleaved: the shared machine's load drifts within minutes, so every scenario of the
                # mix runs once per round, and each ratio uses the sums over the same rounds.
                for scenario in ready:
                    before = settled_counts(stats_dir)
                    runs[scenario.name].append(
                        run_wrk_users(ports[scenario.server], scenario, people_file, connections, args.duration)
                    )
                    if scenario.server == config.APP:
                        add_counts(lookups[scenario.name], cache_stats.difference(settled_counts(stats_dir), before))
            results = {name: rate(rs) for name, rs in runs.items()}
            reference = next((s.name for s in ready if s.role == "reference"), None)
            stock = next((s.name for s in ready if s.role == "stock"), None)
            for scenario in group:
                row = {
                    "scale": total,
                    "scenario": scenario.name,
                    "label": scenario.label,
                    "mix": mix,
                    "role": scenario.role,
                    "cache": cache,
                    "connections": connections,
                    "people": len(people),
                }
                if scenario.name in missing:
                    out.append({**row, "status": "missing", "detail": missing[scenario.name]})
                    continue
                rs = runs[scenario.name]
                errors = errors_in(rs)
                bad_status = next((r["first_non2xx_status"] for r in rs if r["non2xx"]), None)
                latency = {
                    key: statistics.median(r["latency_us"][key] for r in rs) / 1000 for key in rs[0]["latency_us"]
                }
                rps = results[scenario.name]
                row.update(
                    status="failed" if errors or not all(r["requests"] for r in rs) else "ok",
                    detail=f"first non-2xx status {bad_status}" if bad_status else "",
                    requests_per_s=rps,
                    latency_ms=latency,
                    errors=errors,
                    reference_rps=results.get(reference),
                    ratio=rps / results[reference] if results.get(reference) else None,
                    stock_rps=results.get(stock),
                    stock_ratio=rps / results[stock] if results.get(stock) and scenario.role == "app" else None,
                    cache_lookups=lookups[scenario.name],
                )
                out.append(row)
                pages = hit_rate(lookups[scenario.name], "pages")
                log(
                    f"{label} {cache:<5} {scenario.name:<12} c={connections:<3} {rps:8.1f} req/s"
                    f"  p50 {latency['p50']:6.1f}  p99 {latency['p99']:6.1f} ms  errors {errors}"
                    + (f"  ratio {row['ratio']:.2f}" if row["ratio"] else "")
                    + (f"  x stock {row['stock_ratio']:.2f}" if row["stock_ratio"] else "")
                    + (f"  pages hits {pages:.0%}" if pages is not None else "")
                )
    return out


def settled_counts(stats_dir: Path) -> dict:
    """The app's lookup counts once its workers have written what they counted (every 0.1 s)."""
    time.sleep(0.3)
    return cache_stats.read_totals(stats_dir)


def add_counts(into: dict, counts: dict) -> None:
    for alias, kinds in counts.items():
        for kind, (hits, misses) in kinds.items():
            old = into.setdefault(alias, {}).setdefault(kind, [0, 0])
            old[0] += hits
            old[1] += misses


def hit_rate(lookups: dict, alias: str) -> float | None:
    hits = sum(h for h, _ in lookups.get(alias, {}).values())
    total = hits + sum(m for _, m in lookups.get(alias, {}).values())
    return hits / total if total else None


def drop_database(args, total: int) -> None:
    if not args.keep_db and not args.reuse_db:
        recreate_database(args.database_url, database_name(args, total), drop_only=True)


def measure_growth(args, low: int, top: int, base_env: dict, log_dir: Path) -> list[dict]:
    """p50 of each per-user page at the smallest and the largest data size, served side by side.

    Measured in their own scale's run, minutes apart, the two p50s differ by the shared machine's
    drift as much as by the data (one full run saw the same page 1.7x slower, another 0.9x). Here
    both apps run at once and their rounds alternate (small, large, small, ...), so the drift falls
    on both alike; each side's p50 is its median round's.
    """
    selected = [e for e in config.ENDPOINTS if e.name in PER_USER_PAGES and (not args.only or e.name in args.only)]
    if not selected:
        return []
    connections, out = min(args.connections), []
    with ExitStack() as stack:
        sides = []
        for total in (low, top):
            env = {**base_env, "DATABASE_URL": database_url(args, total)}
            app = stack.enter_context(Server(f"app-{scale_label(total)}", "todoproject.wsgi", env, args, log_dir))
            try:
                sides.append((total, app.port, find_targets(env["DATABASE_URL"]), login(app.port, args.auth)))
            except RuntimeError as error:
                log(f"growth: cannot log in as {BENCH_USER} at {scale_label(total)}: {error}")
                return []
        for endpoint in selected:
            requests = {
                total: (port, targets.paths(endpoint), request_headers(endpoint, auth))
                for total, port, targets, auth in sides
            }
            runs = {total: [] for total in requests}
            if args.warmup:
                for port, paths, headers in requests.values():
                    run_wrk(port, endpoint.method, paths, [], headers, connections, args.warmup)
            for _ in range(args.rounds):
                for total, (port, paths, headers) in requests.items():
                    runs[total].append(run_wrk(port, endpoint.method, paths, [], headers, connections, args.duration))
            errors = sum(errors_in(rs) for rs in runs.values())
            p50 = {total: statistics.median(r["latency_us"]["p50"] for r in rs) / 1000 for total, rs in runs.items()}
            out.append(
                {
                    "endpoint": endpoint.name,
                    "label": endpoint.label,
                    "connections": connections,
                    "scales": [low, top],
                    "p50_ms": [p50[low], p50[top]],
                    "growth": p50[top] / p50[low],
                    "errors": errors,
                }
            )
            log(
                f"growth {endpoint.name:<18} c={connections:<3} p50 {p50[low]:6.1f} ms at {scale_label(low)}"
                f"  {p50[top]:6.1f} ms at {scale_label(top)}  {p50[top] / p50[low]:.2f}x  errors {errors}"
            )
    return out


def measure(args, total, endpoint, targets, ports, auth_headers, reference) -> list[Measurement]:
    """Load one endpoint at each connection count, in rounds interleaved with the reference (unless smoke)."""
    port = ports[endpoint.server]
    paths, bodies = targets.paths(endpoint), targets.bodies(endpoint)

    def result(connections, status, detail="", **values):
        return Measurement(total, endpoint.name, endpoint.label, endpoint.kind, connections, status, detail, **values)

    if endpoint.auth and auth_headers is None:
        return [result(c, "missing", "cannot log in") for c in args.connections]
    headers = request_headers(endpoint, auth_headers or {})
    status, _, _ = request(endpoint.method, port, paths[0], bodies[0] if bodies else None, headers)
    if not 200 <= status < 300:
        detail = f"{endpoint.method} {paths[0]} answered {status}"
        log(f"{scale_label(total)}: {endpoint.name}: {detail}")
        return [result(c, "missing", detail) for c in args.connections]
    out = []
    for connections in args.connections:
        if args.warmup:
            run_wrk(port, endpoint.method, paths, bodies, headers, connections, args.warmup)
        runs, references = [], []
        for _ in range(args.rounds):
            if not args.smoke and endpoint.name != config.REFERENCE:
                # Interleaved: the shared machine's background load drifts within minutes, so each
                # round of the endpoint follows a round of the reference, and the ratio uses the sums.
                plain = ports[config.PLAIN]
                references.append(run_wrk(plain, "GET", targets.paths(reference), [], {}, connections, args.duration))
            runs.append(run_wrk(port, endpoint.method, paths, bodies, headers, connections, args.duration))
        errors = errors_in(runs)
        bad_status = next((r["first_non2xx_status"] for r in runs if r["non2xx"]), None)
        # Percentiles cannot be merged exactly across runs; the median round's is reported.
        latency = {key: statistics.median(r["latency_us"][key] for r in runs) / 1000 for key in runs[0]["latency_us"]}
        measurement = result(
            connections,
            "failed" if errors or not all(r["requests"] for r in runs) else "ok",
            f"first non-2xx status {bad_status}" if bad_status else "",
            requests_per_s=rate(runs),
            latency_ms=latency,
            errors=errors,
            reference_rps=rate(references) if references else None,
        )
        log(
            f"{scale_label(total)} {endpoint.name:<18} c={connections:<3} {measurement.requests_per_s:8.1f} req/s"
            f"  p50 {latency['p50']:6.1f}  p95 {latency['p95']:6.1f}  p99 {latency['p99']:6.1f} ms"
            f"  errors {errors}" + (f"  (reference {measurement.reference_rps:.0f} req/s)" if references else "")
        )
        out.append(measurement)
    return out


def errors_in(runs: list[dict]) -> int:
    """Non-2xx answers and socket errors in wrk's results."""
    return sum(r["non2xx"] + r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] for r in runs)


def rate(runs: list[dict]) -> float:
    return sum(r["requests"] for r in runs) / (sum(r["duration_us"] for r in runs) / 1e6)


def add_ratios(measurements: list[Measurement]) -> None:
    """Ratio to the paired reference run, or (smoke) to the reference measured first."""
    reference = {
        m.connections: m.requests_per_s for m in measurements if m.endpoint == config.REFERENCE and m.status == "ok"
    }
    for m in measurements:
        denominator = m.reference_rps or reference.get(m.connections)
        if m.status == "ok" and denominator:
            m.ratio = m.requests_per_s / denominator


def manage(env: dict, *arguments: str) -> None:
    # Loading a million rows and indexing them may take longer than the app's statement timeout.
    env = {"DJANGO_DB_STATEMENT_TIMEOUT": "0", **env}
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1) if found else ""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    # The last commit that changed the app rather than its benchmark: what the figures are of.
    app_commit = subprocess.run(
        ["git", "log", "-1", "--format=%h", "--", ".", ":!bench", ":!docs", ":!README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
        "app_commit": app_commit.stdout.strip(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "BENCH_CACHE_STATS"):  # set per app server (cache_env)
        base_env.pop(name, None)
    # Production serves collected, hashed static files; the manifest must exist before pages render.
    manage({**base_env, "DATABASE_URL": "sqlite://:memory:"}, "collectstatic", "--noinput", "-v0")
    measurements, scenarios, growth = [], [], []
    low, top = min(args.scales), max(args.scales)
    compared = {low, top} if low != top else set()  # kept until both are served side by side
    try:
        for total in args.scales:
            found, ran = run_scale(args, total, base_env, RESULTS, drop=total not in compared)
            measurements += found
            scenarios += ran
        if compared:
            growth = measure_growth(args, low, top, base_env, RESULTS)
    finally:
        for total in compared:
            drop_database(args, total)
    settings = {
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "warmup_s": args.warmup,
        "connections": args.connections,
        "auth": args.auth,
        "caches": args.caches,
        "profile": "smoke" if args.smoke else "quick" if args.quick else "full",
        "scales": {scale_label(t): scale_params(t, args.smoke) for t in args.scales},
    }
    data = {
        "machine": machine(),
        "settings": settings,
        "scenarios": scenarios,
        "measurements": [asdict(m) for m in measurements],
        "growth": growth,
    }
    args.output.mkdir(parents=True, exist_ok=True)
    stem = "smoke" if args.smoke else "benchmarks"
    (RESULTS / f"{stem}.json").write_text(json.dumps(data, indent=2))
    write_markdown(data, args.output / f"{stem}.md")
    if not args.smoke:
        write_chart(data, args.output / f"{stem}.png")
    failed = [m for m in measurements if m.status == "failed" or (m.status == "missing" and not args.allow_missing)]
    for m in failed:
        log(f"FAILED {scale_label(m.scale)} {m.endpoint} c={m.connections}: {m.status} {m.detail}")
    for s in scenarios:
        if s["status"] == "failed" or (s["status"] == "missing" and not args.allow_missing):
            log(f"FAILED {scale_label(s['scale'])} {s['cache']} {s['scenario']} c={s['connections']}: {s['detail']}")
            failed.append(s)
    for g in growth:
        if g["errors"]:
            log(f"FAILED growth {g['endpoint']}: {g['errors']} errors")
            failed.append(g)
    log(f"done in {time.monotonic() - started:.0f}s; results in {args.output / (stem + '.md')}")
    return 1 if failed else 0
