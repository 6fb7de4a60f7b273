"""Turn the runner's measurements into a markdown table and a PNG chart."""

from collections import defaultdict
from pathlib import Path

from bench.endpoints import ENDPOINTS, REFERENCE

AUTH_LABELS = {
    "clients": "a token for /api/ as API clients send it, the session cookie for pages",
    "session": "the session cookie for every endpoint",
    "token": "a token for every endpoint",
}

PER_USER_PAGES = ["html_list_100", "api_todos", "api_lists", "api_orders"]
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
    for total, ms in sorted(by_scale.items()):
        params = settings["scales"].get(scale_label(total), {})
        sizes = ", ".join(f"{value:,} {key.replace('-', ' ')}" for key, value in params.items())
        lines += [f"## {scale_label(total)} todos in total", "", f"Generated: {sizes}.", ""]
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
    rows = targets(data)
    if rows:
        lines += ["## Targets (issue 5)", "", "| target | measured | |", "|---|---|---|"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        lines.append("")
    path.write_text("\n".join(lines))


def write_chart(data, path: Path) -> None:
    """p50 latency against data size per read endpoint, and the ratio to the reference per endpoint."""
    import matplotlib  # bench/requirements.txt; only the full run draws a chart

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ms = [m for m in data["measurements"] if m["status"] == "ok"]
    if not ms:
        return
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
