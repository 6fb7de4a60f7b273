"""Benchmark runner: generate data, serve the app as production does, drive it with wrk, report.

    python -m bench                          # 1e3, 1e5 and 1e6 todos; writes docs/benchmarks.{md,png}
    python -m bench --scales 1e3 --duration 3
    python -m bench --smoke                  # seconds: 1e3 and 2e3 todos, 1 s per endpoint, results in bench/results/

For each scale it (re)creates the PostgreSQL database <db-prefix>_<scale>, migrates it, runs
generate_data, starts gunicorn twice with the same settings (the app with bench.settings, and the
plain-WSGI reference), logs in as `bench`, checks that every endpoint answers 2xx, then runs wrk
(a separate process on 127.0.0.1) against each endpoint at each connection count, in rounds
interleaved with rounds of the reference so the ratio holds while the machine's load drifts.
With more than one scale it then serves the smallest and the largest side by side and measures the
per-user pages on both in alternating rounds: how their latency grows with the data.
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

from bench import endpoints as config
from bench.report import PER_USER_PAGES, scale_label, write_chart, write_markdown

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("wrk_report.lua")
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


def scale_params(total: int, smoke: bool) -> dict:
    """generate_data options for `total` todos; the bench user's lists are the same at every scale."""
    return {
        "users": max(10, total // 1000),
        "lists": max(20, total // 100),
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
    parser.add_argument("--scales", default=None, help="total todos per run, comma-separated (default 1e3,1e5,1e6)")
    parser.add_argument("--connections", default=None, help="wrk connection counts (default 4,16; smoke 4)")
    parser.add_argument("--duration", type=int, default=None, help="seconds per round (default 3; smoke 1)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per endpoint and connection count (default 3)")
    parser.add_argument("--warmup", type=int, default=None, help="seconds of unrecorded load before each run")
    parser.add_argument("--only", default="", help="comma-separated endpoint names (see bench/endpoints.py)")
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
    args.scales = [parse_scale(s) for s in (args.scales or ("1e3,2e3" if args.smoke else "1e3,1e5,1e6")).split(",")]
    args.connections = [int(c) for c in (args.connections or ("4" if args.smoke else "4,16")).split(",")]
    args.duration = args.duration or (1 if args.smoke else 3)
    args.rounds = args.rounds or (1 if args.smoke else 3)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.smoke else 2)
    args.output = Path(args.output) if args.output else (RESULTS if args.smoke else DOCS)
    args.only = {name for name in args.only.split(",") if name}
    unknown = args.only - {e.name for e in config.ENDPOINTS}
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
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_PATHS": "\n".join(paths),
        "BENCH_BODIES": "\n".join(bodies),
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
    }
    # One wrk thread: it drives thousands of requests/s, and every core it leaves is the server's.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(LUA)]
    command.append(f"http://127.0.0.1:{port}{paths[0]}")
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    return json.loads(line.removeprefix("BENCH_RESULT "))


# The run


def database_name(args, total: int) -> str:
    return f"{args.db_prefix}_{scale_label(total)}"


def database_url(args, total: int) -> str:
    return f"{args.database_url.rstrip('/')}/{database_name(args, total)}"


def run_scale(args, total: int, base_env: dict, log_dir: Path, *, drop: bool) -> list[Measurement]:
    """Measure every selected endpoint at this data size; `drop` the database afterwards (unless kept)."""
    label, name = scale_label(total), database_name(args, total)
    env = {**base_env, "DATABASE_URL": database_url(args, total)}
    if args.reuse_db and database_exists(args.database_url, name):
        log(f"{label}: reusing database {name}")
    else:
        log(f"{label}: creating database {name}, migrating, generating data")
        recreate_database(args.database_url, name)
        manage(env, "migrate", "--noinput", "-v0")
        params = scale_params(total, args.smoke)
        started = time.monotonic()
        manage(env, "generate_data", *(f"--{key}={value}" for key, value in params.items()), "-v0")
        log(f"{label}: generated {total} todos in {time.monotonic() - started:.1f}s")
    targets = find_targets(env["DATABASE_URL"])
    selected = [e for e in config.ENDPOINTS if not args.only or e.name in args.only or e.name == config.REFERENCE]
    measurements = []
    try:
        with (
            Server("app", "todoproject.wsgi", env, args, log_dir) as app,
            Server("plain", "bench.reference_wsgi:application", env, args, log_dir) as plain,
        ):
            ports = {config.APP: app.port, config.PLAIN: plain.port}
            try:
                auth_headers = login(app.port, args.auth)
            except RuntimeError as error:
                log(f"{label}: cannot log in as {BENCH_USER}: {error}")
                auth_headers = None
            reference = next(e for e in config.ENDPOINTS if e.name == config.REFERENCE)
            for endpoint in selected:
                measurements += measure(args, total, endpoint, targets, ports, auth_headers, reference)
    finally:
        if drop:
            drop_database(args, total)
    add_ratios(measurements)
    return measurements


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
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        model = found.group(1) if found else ""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "commit": commit.stdout.strip(),
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
    # Production serves collected, hashed static files; the manifest must exist before pages render.
    manage({**base_env, "DATABASE_URL": "sqlite://:memory:"}, "collectstatic", "--noinput", "-v0")
    measurements, growth = [], []
    low, top = min(args.scales), max(args.scales)
    compared = {low, top} if low != top else set()  # kept until both are served side by side
    try:
        for total in args.scales:
            measurements += run_scale(args, total, base_env, RESULTS, drop=total not in compared)
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
        "scales": {scale_label(t): scale_params(t, args.smoke) for t in args.scales},
    }
    data = {
        "machine": machine(),
        "settings": settings,
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
    for g in growth:
        if g["errors"]:
            log(f"FAILED growth {g['endpoint']}: {g['errors']} errors")
            failed.append(g)
    log(f"done in {time.monotonic() - started:.0f}s; results in {args.output / (stem + '.md')}")
    return 1 if failed else 0
