"""Turn the runner's measurements into a markdown report and a PNG chart.

    python -m bench.report    # docs/benchmarks.md again from bench/results/ (and bench/baseline/)

The report holds what the last run measured (bench/results/benchmarks.json), the instruction counts
of bench/instructions.py (bench/results/instructions.json) and, when bench/baseline/ has them, the
baseline's figures beside both.
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

from bench.endpoints import ENDPOINTS, REFERENCE

AUTH_LABELS = {
    "clients": "a token for /api/ as API clients send it, the session cookie for pages",
    "session": "the session cookie for every endpoint",
    "token": "a token for every endpoint",
}

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASELINE = ROOT / "bench" / "baseline"
PER_USER_PAGES = ["html_list_100", "api_todos", "api_lists", "api_orders"]
# Issue 11's floors: requests/s as a ratio of the mix's plain reference, and reads against stock DRF.
SCENARIO_FLOORS = {"api_todos": 0.30, "api_lists": 0.30, "api_mix": 0.25, "api_toggle": 0.35, "html_list": 0.20}
STOCK_FACTOR = 2.0
P99_LIMIT_MS = 100
API_LISTS = ["api_todos", "api_lists", "api_orders"]
SINGLE_WRITES = ["api_todo_create", "api_todo_toggle"]


def scale_label(total: int) -> str:
    """1e3, 2e3, 1e6...: how the runner names a data size (its databases too) and the report shows it."""
    text = f"{total:.0e}".replace("e+0", "e").replace("e+", "e")
    return text if float(text) == total else str(total)


def _ms(value) -> str:
    return f"{value:.1f}" if value is not None else "–"


def _index(measurements) -> dict:
    return {(m["scale"], m["endpoint"], m["connections"]): m for m in measurements}


def targets(data) -> list[tuple[str, str, str]]:
    """Evaluate issue 5's targets on what was measured: (target, measured, verdict)."""
    ms = [m for m in data["measurements"] if m["status"] == "ok"]
    if not ms:
        return []
    by_key = _index(ms)
    scales = sorted({m["scale"] for m in ms})
    top = scales[-1]
    conns = sorted({m["connections"] for m in ms})
    high_c, low_c = conns[-1], conns[0]
    rows = []

    def verdict(ok):
        return "pass" if ok else "**FAIL**"

    for name, floor in [*((n, 0.40) for n in API_LISTS), ("html_list_100", 0.25)]:
        m = by_key.get((top, name, high_c))
        if m and m["ratio"] is not None:
            rows.append(
                (
                    f"{name}: ratio >= {floor:.2f} ({scale_label(top)}, c={high_c})",
                    f"{m['ratio']:.2f}",
                    verdict(m["ratio"] >= floor),
                )
            )
    if 16 in conns:
        worst = max(
            (m for m in ms if m["connections"] == 16 and m["endpoint"] not in (REFERENCE, "django_values")),
            key=lambda m: m["latency_ms"]["p99"],
            default=None,
        )
        if worst:
            rows.append(
                (
                    "every endpoint: p99 <= 150 ms at c=16",
                    f"worst {worst['latency_ms']['p99']:.1f} ms ({worst['endpoint']}, {scale_label(worst['scale'])})",
                    verdict(worst["latency_ms"]["p99"] <= 150),
                )
            )
    if 4 in conns:
        for name in SINGLE_WRITES:
            worst = max(
                (m["latency_ms"]["p95"] for m in ms if m["endpoint"] == name and m["connections"] == 4), default=None
            )
            if worst is not None:
                rows.append((f"{name}: p95 <= 50 ms at c=4", f"{worst:.1f} ms", verdict(worst <= 50)))
    for g in data.get("growth", []):  # measured side by side (bench/run.py measure_growth)
        (small, large), (a, b) = g["scales"], g["p50_ms"]
        rows.append(
            (
                f"{g['endpoint']}: p50 at {scale_label(large)} <= 1.2x p50 at {scale_label(small)}"
                f" (c={g['connections']})",
                f"{g['growth']:.2f}x ({b:.1f} / {a:.1f} ms)",
                verdict(g["growth"] <= 1.2 and not g["errors"]),
            )
        )
    first, last = by_key.get((top, "html_huge_first", low_c)), by_key.get((top, "html_huge_last", low_c))
    if first and last:
        growth = last["latency_ms"]["p50"] / first["latency_ms"]["p50"]
        rows.append(
            (
                f"huge list: last page p50 <= 2x first page ({scale_label(top)}, c={low_c})",
                f"{growth:.2f}x",
                verdict(growth <= 2),
            )
        )
    return rows


def write_markdown(data, path: Path) -> None:
    machine, settings = data["machine"], data["settings"]
    by_scale = defaultdict(list)
    for m in data["measurements"]:
        by_scale[m["scale"]].append(m)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m bench` on {machine['date']}, commit `{machine['commit']}`: {machine['cpus']} CPUs"
        f" ({machine['cpu']}), Python {machine['python']}, PostgreSQL on 127.0.0.1. gunicorn with"
        f" {settings['workers']} `{settings['worker_class']}` workers x {settings['threads']} thread(s), `DEBUG` off,"
        f" whitenoise; wrk (1 thread) on the same machine: per endpoint and connection count, {settings['warmup_s']} s"
        f" of warm-up, then {settings.get('rounds', 1)} rounds of {settings['duration_s']} s, each after a round of the"
        f" reference; logged in as `bench` ({AUTH_LABELS.get(settings['auth'], settings['auth'])}).",
        "",
        "**ratio** is requests/s relative to the plain-WSGI reference (psycopg2, same SQL, same JSON) at the same"
        " data size and connection count, measured in the interleaved rounds (**reference req/s**): it holds on a"
        " noisy, shared machine where absolute figures do not. Latency percentiles are the median round's."
        " Latencies are in milliseconds. Any non-2xx answer or socket error counts as an error; 0 are allowed.",
        "",
    ]
    lines += baseline_lines(_load(BASELINE / "throughput.json"), _load(BASELINE / "instructions.json"), data)
    lines += instruction_lines(_load(RESULTS / "instructions.json"), _load(BASELINE / "instructions.json"))
    lines += scenario_lines(data)
    if by_scale:
        lines += ["## Single-URL endpoints of the user `bench`", ""]
    for total, ms in sorted(by_scale.items()):
        params = settings["scales"].get(scale_label(total), {})
        sizes = ", ".join(f"{value:,} {key.replace('-', ' ')}" for key, value in params.items())
        lines += [f"### {scale_label(total)} todos in total", "", f"Generated: {sizes}.", ""]
        lines += [
            "| endpoint | conns | req/s | p50 | p95 | p99 | errors | reference req/s | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        missing = {}
        for m in ms:
            if m["status"] == "missing":
                missing[m["label"]] = m["detail"]
                continue
            lat = m["latency_ms"]
            ratio = f"{m['ratio']:.2f}" if m["ratio"] is not None else "–"
            errors = f"**{m['errors']}** ({m['detail']})" if m["errors"] else "0"
            paired = f"{m['reference_rps']:.0f}" if m.get("reference_rps") else "–"
            lines.append(
                f"| {m['label']} | {m['connections']} | {m['requests_per_s']:.0f} | {_ms(lat.get('p50'))}"
                f" | {_ms(lat.get('p95'))} | {_ms(lat.get('p99'))} | {errors} | {paired} | {ratio} |"
            )
        if missing:
            lines += ["", "Not measured (no 2xx answer before the run):"]
            lines += [f"- {label}: {detail}" for label, detail in missing.items()]
        lines.append("")
    if data.get("growth"):
        small, large = (scale_label(total) for total in data["growth"][0]["scales"])
        lines += [
            "## Growth with data size",
            "",
            f"The per-user pages at {small} and at {large} todos in total, both apps served at once and their rounds"
            f" alternating ({small}, {large}, {small}, ...), so the machine's drift falls on both alike (measured in"
            " each scale's own run, minutes apart, a page's p50 moves with the machine's load as much as with the"
            " data). p50 is the median round's, in milliseconds.",
            "",
            f"| endpoint | conns | p50 at {small} | p50 at {large} | growth | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for g in data["growth"]:
            a, b = g["p50_ms"]
            lines.append(
                f"| {g['label']} | {g['connections']} | {a:.1f} | {b:.1f} | {g['growth']:.2f}x | {g['errors']} |"
            )
        lines.append("")
    rows = scenario_targets(data) + targets(data)
    if rows:
        lines += ["## Targets", "", "| target | measured | |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        lines.append("")
    path.write_text("\n".join(lines))


def write_chart(data, path: Path) -> None:
    """p50 latency against data size per read endpoint, and the ratio to the reference per endpoint."""
    ms = [m for m in data["measurements"] if m["status"] == "ok"]
    if not ms:  # the quick profile measures no single-URL endpoint
        return
    import matplotlib  # bench/requirements.txt; only the full run draws a chart

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conns = max(m["connections"] for m in ms)
    scales = sorted({m["scale"] for m in ms})
    names = [e.name for e in ENDPOINTS if any(m["endpoint"] == e.name for m in ms)]
    by_key = _index(ms)
    figure, (left, right) = plt.subplots(1, 2, figsize=(15, 6.5))
    for name in names:
        points = [(s, by_key[(s, name, conns)]["latency_ms"]["p50"]) for s in scales if (s, name, conns) in by_key]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=name)
    left.set(xscale="log", xlabel="todos in the database", ylabel=f"p50 latency (ms), {conns} connections")
    left.set_title("Latency against data size")
    left.grid(True, alpha=0.3)
    left.legend(fontsize=7)
    names = [n for n in names if n != REFERENCE]  # its ratio is 1 by definition
    width = 0.8 / len(scales)
    for i, scale in enumerate(scales):
        ratios = [by_key.get((scale, n, conns), {}).get("ratio") or 0 for n in names]
        bars = [y + i * width for y in range(len(names))]
        right.barh(bars, ratios, height=width, label=f"{scale_label(scale)} todos")
    right.set_yticks([y + width * (len(scales) - 1) / 2 for y in range(len(names))], names, fontsize=8)
    right.invert_yaxis()
    right.axvline(1.0, color="grey", linewidth=0.8)
    right.set(xlabel=f"requests/s relative to the plain-WSGI reference, {conns} connections")
    right.set_title("Throughput ratio per endpoint")
    right.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


# Many-user scenarios, instruction counts, the baseline


def _hits(lookups: dict, alias: str) -> str:
    kinds = lookups.get(alias, {})
    hits, total = sum(h for h, _ in kinds.values()), sum(h + m for h, m in kinds.values())
    return f"{hits / total:.0%} of {total:,}" if total else "–"


def _kinds(lookups: dict) -> str:
    parts = []
    for alias, kinds in sorted(lookups.items()):
        for kind, (hits, misses) in sorted(kinds.items()):
            parts.append(f"{alias}:{kind} {hits / (hits + misses):.0%}")
    return ", ".join(parts) or "–"


def _ratio(value, digits=2) -> str:
    return f"{value:.{digits}f}" if value is not None else "–"


def scenario_lines(data) -> list[str]:
    rows = data.get("scenarios", [])
    if not rows:
        return []
    lines = [
        "## Many-user scenarios",
        "",
        "Each request from a random one of the generated users (their token for the API, their session"
        " cookie for pages) on a random list of theirs (bench/wrk_users.lua); a toggle sets one of that list's"
        " first todos done or open at random. Per mix, the scenarios run in the same interleaved rounds:"
        " **ratio** is requests/s over the mix's plain-WSGI reference (psycopg2, same SQL and JSON; for writes"
        " the same UPDATEs in one transaction), **x stock** over stock DRF (`ListAPIView` + `ModelSerializer`,"
        " bench/stock_drf.py) on the same traffic. `local` is the single-server default (no `REDIS_URL`),"
        " `redis` the several-server setup. **hits** are the cache lookups that found their key, per alias"
        " (bench/cache.py counts every lookup of every worker); the last column splits them by kind of key.",
        "",
    ]
    for total in sorted({r["scale"] for r in rows}):
        people = max(r.get("people", 0) for r in rows if r["scale"] == total)
        lines += [
            f"### {scale_label(total)} todos, {people:,} people",
            "",
            "| scenario | mix | cache | conns | req/s | p50 | p99 | errors | ratio | x stock | hits: pages"
            " | hits: default | hits by kind |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in (r for r in rows if r["scale"] == total):
            if r["status"] == "missing":
                lines.append(
                    f"| {r['label']} | {r['mix']} | {r['cache']} | {r['connections']} | not measured:"
                    f" {r['detail']} | | | | | | | | |"
                )
                continue
            lat, lookups = r["latency_ms"], r.get("cache_lookups", {})
            errors = f"**{r['errors']}** ({r['detail']})" if r["errors"] else "0"
            lines.append(
                f"| {r['label']} | {r['mix']} | {r['cache']} | {r['connections']} | {r['requests_per_s']:.0f}"
                f" | {_ms(lat['p50'])} | {_ms(lat['p99'])} | {errors} | {_ratio(r['ratio'])}"
                f" | {_ratio(r['stock_ratio'])} | {_hits(lookups, 'pages')} | {_hits(lookups, 'default')}"
                f" | {_kinds(lookups)} |"
            )
        lines.append("")
    return lines


def scenario_targets(data) -> list[tuple[str, str, str]]:
    """Issue 11's targets on the many-user scenarios at the largest scale and connection count."""
    rows = [r for r in data.get("scenarios", []) if r["status"] == "ok"]
    if not rows:
        return []
    top, conns = max(r["scale"] for r in rows), max(r["connections"] for r in rows)
    out = []

    def verdict(ok):
        return "pass" if ok else "**FAIL**"

    for r in (r for r in rows if r["scale"] == top and r["connections"] == conns):
        where = f"{scale_label(top)}, c={conns}, {r['cache']}"
        floor = SCENARIO_FLOORS.get(r["scenario"])
        if floor is not None and r["ratio"] is not None:
            out.append(
                (f"{r['scenario']}: ratio >= {floor:.2f} ({where})", f"{r['ratio']:.2f}", verdict(r["ratio"] >= floor))
            )
        if r["stock_ratio"] is not None:
            out.append(
                (
                    f"{r['scenario']}: >= {STOCK_FACTOR:.0f}x stock DRF ({where})",
                    f"{r['stock_ratio']:.2f}x",
                    verdict(r["stock_ratio"] >= STOCK_FACTOR),
                )
            )
    app = [r for r in rows if r["role"] == "app" and r["connections"] == conns]
    if app:
        worst = max(app, key=lambda r: r["latency_ms"]["p99"])
        out.append(
            (
                f"every app scenario: p99 <= {P99_LIMIT_MS} ms at c={conns}",
                f"worst {worst['latency_ms']['p99']:.1f} ms ({worst['scenario']}, {worst['cache']},"
                f" {scale_label(worst['scale'])})",
                verdict(worst["latency_ms"]["p99"] <= P99_LIMIT_MS),
            )
        )
    return out


INSTRUCTION_TARGETS = [  # (measurement, reference, at most this times the reference)
    ("api_todos_cold", "drf_todos_cold", 0.6),
    ("api_todos_warm", "values", 1.5),
    ("api_lists_cold", "drf_todos_cold", 0.6),
    ("api_toggle", "drf_todos_cold", 0.7),
]


def instruction_lines(instructions, baseline=None) -> list[str]:
    if not instructions:
        return []
    base = {r["name"]: r for r in (baseline or {}).get("rows", [])}
    side = baseline is not None and baseline.get("machine", {}).get("commit") != instructions["machine"]["commit"]
    m = instructions["machine"]
    lines = [
        "## CPU instructions per request",
        "",
        f"`python -m bench.instructions` on {m['date']}, commit `{m['commit']}` (app `{m.get('app_commit', '?')}`):"
        " valgrind's callgrind counts every instruction of a Python process that calls the WSGI application"
        " as gunicorn does (an environ dict, the body consumed, close() called; no test client), after"
        f" {instructions['warmup']} warm-up requests. Per request: (instructions with {instructions['requests']}"
        " requests - instructions of the same program with none) / "
        f"{instructions['requests']}. Cold: a different person and list each request (cache misses); warm:"
        f" the same URL again. Data: {instructions['data']}. Millions of instructions; these do not move with"
        " the machine's load.",
        "",
        "| request | M instructions | x stock DRF cold | x values() view |" + (" baseline M |" if side else ""),
        "|---|---:|---:|---:|" + ("---:|" if side else ""),
    ]
    by_name = {r["name"]: r["instructions"] for r in instructions["rows"]}
    for r in instructions["rows"]:
        stock, values = by_name.get("drf_todos_cold"), by_name.get("values")
        line = (
            f"| {r['label']} | {r['instructions'] / 1e6:.2f} | {_ratio(stock and r['instructions'] / stock)}"
            f" | {_ratio(values and r['instructions'] / values)} |"
        )
        if side:
            old = base.get(r["name"])
            line += f" {old['instructions'] / 1e6:.2f} |" if old else " – |"
        lines.append(line)
    lines.append("")
    targets = [
        (name, ref, limit, by_name[name] / by_name[ref])
        for name, ref, limit in INSTRUCTION_TARGETS
        if name in by_name and by_name.get(ref)
    ]
    if targets:
        lines += ["| target (issue 11) | measured | |", "|---|---|---|"]
        lines += [
            f"| {name} <= {limit}x {ref} | {value:.2f}x | {'pass' if value <= limit else '**FAIL**'} |"
            for name, ref, limit, value in targets
        ]
        lines.append("")
    return lines


def baseline_lines(baseline_throughput, baseline_instructions, data) -> list[str]:
    """The baseline's figures, with this run's beside them when this run is of other code."""
    if not baseline_throughput and not baseline_instructions:
        return []
    machine = (baseline_throughput or baseline_instructions)["machine"]
    commit = machine.get("app_commit") or machine["commit"]
    lines = [
        f"## Baseline (commit {commit})",
        "",
        f"The code before issue 11's rewrite, measured on {machine['date']} with the same harness (raw figures in"
        " bench/baseline/). Instructions per request in millions; throughput as the ratio to the mix's plain"
        " reference and to stock DRF, with the `pages` cache hit rate.",
        "",
    ]
    if baseline_instructions:
        lines += ["| request | M instructions |", "|---|---:|"]
        lines += [f"| {r['label']} | {r['instructions'] / 1e6:.2f} |" for r in baseline_instructions["rows"]]
        lines.append("")
    if baseline_throughput:
        now = {
            (r["scale"], r["scenario"], r["cache"], r["connections"]): r
            for r in data.get("scenarios", [])
            if r["status"] == "ok"
        }
        side = data["machine"].get("app_commit") != commit and bool(now)
        header = "| scenario | scale | cache | conns | ratio | x stock | p99 ms | hits: pages |"
        rule = "|---|---|---|---:|---:|---:|---:|---:|"
        if side:
            header += " ratio now | x stock now | p99 now | hits now |"
            rule += "---:|---:|---:|---:|"
        lines += [header, rule]
        for r in baseline_throughput.get("scenarios", []):
            if r["status"] != "ok":
                continue
            line = (
                f"| {r['scenario']} | {scale_label(r['scale'])} | {r['cache']} | {r['connections']}"
                f" | {_ratio(r['ratio'])} | {_ratio(r['stock_ratio'])} | {_ms(r['latency_ms']['p99'])}"
                f" | {_hits(r.get('cache_lookups', {}), 'pages')} |"
            )
            if side:
                n = now.get((r["scale"], r["scenario"], r["cache"], r["connections"]))
                line += (
                    f" {_ratio(n['ratio'])} | {_ratio(n['stock_ratio'])} | {_ms(n['latency_ms']['p99'])}"
                    f" | {_hits(n.get('cache_lookups', {}), 'pages')} |"
                    if n
                    else " – | – | – | – |"
                )
            lines.append(line)
        lines.append("")
        for g in baseline_throughput.get("growth", []):
            lines.append(
                f"- growth {g['endpoint']}: p50 {g['p50_ms'][1]:.1f} / {g['p50_ms'][0]:.1f} ms = {g['growth']:.2f}x"
            )
        lines.append("")
    return lines


def _load(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def main() -> int:
    data = _load(RESULTS / "benchmarks.json")
    if data is None:
        print("No bench/results/benchmarks.json: run python -m bench first.", file=sys.stderr)
        return 1
    write_markdown(data, ROOT / "docs" / "benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
