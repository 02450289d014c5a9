"""What users meet: the portal's pages under gunicorn and wrk, against plain anchors, 1× and 10×.

`python -m tests.bench.web` (the first part of `make bench`). For each scale in BENCH_SCALES
(default "1,10") it seeds a committed world into its own database (BENCH_DATABASE_URL plus
`_w<scale>`, see tests/bench/world.py) and starts a production-like server on it: gunicorn
`-w BENCH_WORKERS` (4), DEBUG off, persistent connections, tests.bench.settings (the portal plus
the anchors). Both servers stay up, and each of BENCH_ROUNDS rounds (3) loads every page with
`wrk -t2 -c32 -d BENCH_WRK_SECONDS` (5 s; a Python load generator when wrk is absent), each page
at every scale in turn, so the scales meet the same load. Each request carries the session and
CSRF cookies a signed-in browser sends back after its first page.

The anchors' throughput drifts with the machine (the unit anchor 152–265 req/s across quiet
runs), so a page is never compared with an anchor measured minutes apart: within a round each
anchor is loaded again after every two of its pages, and a page's ratio for that round is its
req/s over the geometric mean of its anchor's loads just before and just after it (about 10 and
20 s away). It prints, per page and scale, the median req/s, the median of the rounds' ratios and
their spread (lowest–highest), and the growth of the time per request from the first scale to
the last (the median of the rounds' own growths, each from loads seconds apart); a verdict
against #16 ("met" or "short" when every round is on one side of the target, "noise" when the
spread straddles it). Figures are printed, never asserted.

Duration: the full run is 33 loads a round at each scale (19 pages, their anchors 13 times, the
bare view once), 198 loads in 3 rounds at 2 scales: about 20 minutes on the 2-core machine with
the worlds already seeded (about 5.7 s a load with the drain, and a minute to start and warm
the servers), against 13 minutes for the former 138 loads. BENCH_PAGES runs a few pages against
their anchors in 2–4 minutes.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = 32
VERBOSE = os.environ.get("BENCH_VERBOSE") == "1"
ANCHORS = {"units": "/bench/units/?page=7", "dossiers": "/bench/dossiers/?page=7"}
# Pages between two loads of their anchor: 2 keeps every page next to one load of its anchor
# and the full run near 20 minutes (1 would take 26, 3 about 18).
PER_BRACKET = 2
TARGET = {"units": 0.8, "dossiers": 0.8, "agg2": 1.0}  # #16: a page's ratio, by its anchor
GROWTH_TARGET = 1.3  # #16: time at 10× within 1.3× of the time at 1×
# BENCH_PAGES="queue,nomination" measures only the pages whose label contains one of the words
# (the anchors always), for a quick before/after of one page.
ONLY = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]


@dataclass
class Page:
    label: str
    url: str
    anchor: str  # a key of the anchors row set ("units", "dossiers", "agg2") or "" for an anchor
    judged: bool = True  # False for a row that shows a cost but is no page of #16
    samples: dict[int, list[float]] = field(default_factory=dict)  # every load's req/s
    ratios: dict[int, list[float]] = field(default_factory=dict)  # one per round
    growths: list[float] = field(default_factory=list)  # one per round
    errors: dict[int, int] = field(default_factory=dict)

    def median(self, scale: int) -> float:
        values = self.samples.get(scale) or [0.0]
        return statistics.median(values)


def pages(facts: dict) -> list[Page]:
    """The pages of shared/benchmarks.md, and the anchors first."""
    c, p = facts["campaign"], facts["province"]
    return [
        Page("anchor: bare view", "/bench/bare/", ""),
        Page("anchor: units, 50 a page", ANCHORS["units"], ""),
        Page("anchor: dossiers, 50 by due date", ANCHORS["dossiers"], ""),
        Page("anchor: agg2 (tasks per branch)", f"/bench/agg2/{c}/", ""),
        Page("chrome: units through base.html", "/bench/chrome-units/?page=7", "units", False),
        Page("dashboard", "/", "units"),
        Page("unit browser", "/don-vi/", "units"),
        Page("unit search", "/don-vi/?q=thu+nghiem", "units"),
        Page("unit page: the province", f"/don-vi/{p}/", "units"),
        Page("campaign list", "/phong-trao/", "units"),
        Page("registrations", f"/phong-trao/{c}/dang-ky/", "units"),
        Page("a unit's tasks", f"/don-vi/{facts['registration_unit']}/thi-dua/", "units"),
        Page("reviews (sơ kết)", f"/phong-trao/{c}/so-ket/", "units"),
        Page("nomination list", "/khen-thuong/de-nghi/", "dossiers"),
        Page("Nội vụ queue", "/khen-thuong/noi-vu/", "dossiers"),
        Page("council sessions", "/khen-thuong/hoi-dong/", "units"),
        Page("decisions", "/khen-thuong/quyet-dinh/", "units"),
        Page("score table", f"/giao-uoc/{facts['pledge']}/bang-diem/", "units"),
        Page("documents", "/van-ban/", "units"),
        Page("reports", "/bao-cao-dinh-ky/", "units"),
        Page("notifications", "/thong-bao/", "units"),
        Page("statistics", "/khen-thuong/thong-ke/", "units"),
        Page("cascade (tiến độ)", f"/phong-trao/{c}/tien-do/", "agg2"),
    ]


ANCHOR_OF = {"units": 1, "dossiers": 2, "agg2": 3}  # the anchors' places in pages()


@dataclass
class Server:
    scale: int
    facts: dict
    port: int
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # A browser returns the CSRF cookie set by its first page; without it every page that
    # draws the token (the base template does) would make a new secret, as on a first visit.
    csrf_secret: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def cookie(self) -> str:
        return f"sessionid={self.facts['session']}; csrftoken={self.csrf_secret}"


def _env(database_url: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        "LOG_LEVEL": "WARNING",
    }


def _ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _seed(scale: int, url: str) -> dict:
    _ensure_database(url)
    started = time.perf_counter()
    out = subprocess.run(
        [PY, "-m", "tests.bench.world", "--scale", str(scale)],
        cwd=ROOT,
        env=_env(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    facts = json.loads(out.strip().splitlines()[-1])
    facts["ready_seconds"] = round(time.perf_counter() - started, 1)
    return facts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(scale: int, url: str, facts: dict) -> Server:
    port = _free_port()
    env = _env(url) | {"DJANGO_SETTINGS_MODULE": "tests.bench.settings"}
    command = [
        str(Path(PY).with_name("gunicorn")),
        "portal.wsgi",
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        # A slow page under load must be measured, not killed at gunicorn's default 30 s.
        "--timeout",
        "300",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    server = Server(scale, facts, port, process)
    for _ in range(120):
        try:
            with urllib.request.urlopen(server.base + "/bench/bare/", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start for scale {scale}")


def _status(server: Server, url: str) -> int:
    request = urllib.request.Request(server.base + url, headers={"Cookie": server.cookie})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wrk(server: Server, url: str) -> tuple[float, int]:
    """Requests per second and the count of errors (non-2xx, socket errors)."""
    if not shutil.which("wrk"):
        return _python_load(server, url)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {server.cookie}",
            server.base + url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rps, errors


def _drain(server: Server) -> None:
    """Wait until the server has worked off the requests wrk left queued when it stopped, so
    that a slow page's backlog is not charged to the next page measured."""
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(server.base + "/bench/bare/", timeout=300):
                pass
        except OSError:
            time.sleep(0.5)
            continue
        if time.perf_counter() - started < 0.5:
            return


def _python_load(server: Server, url: str) -> tuple[float, int]:
    """The fallback load generator: keep-alive connections in threads for SECONDS."""
    done, errors, stop = [0], [0], time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", url, headers={"Cookie": server.cookie})
            response = conn.getresponse()
            response.read()
            with lock:
                done[0] += 1
                errors[0] += response.status != 200
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.perf_counter() - started), errors[0]


def _chosen(rows: list[Page]) -> list[Page]:
    if not ONLY:
        return rows
    return [
        row for row in rows if row.label.startswith("anchor") or any(w in row.label for w in ONLY)
    ]


def schedule(rows: list[Page]) -> list[int]:
    """One round's order of the rows (indices): each anchor, then its pages PER_BRACKET at a time
    with the anchor loaded again after each group, so that every page lies between two loads of
    its anchor. An anchor without pages (the bare view) is loaded once."""
    keys = {index: key for key, index in ANCHOR_OF.items()}
    order = []
    for index, row in enumerate(rows):
        if row.anchor:
            continue
        key = keys.get(index)
        mine = [i for i, other in enumerate(rows) if key and other.anchor == key]
        order.append(index)
        for start in range(0, len(mine), PER_BRACKET):
            order += [*mine[start : start + PER_BRACKET], index]
    return order


def bracketed_ratios(
    timeline: list[tuple[int, float]], anchor_of: dict[int, int]
) -> dict[int, float]:
    """Each page's ratio in one round at one scale, from the round's loads (row, req/s) in the
    order they ran and each page's anchor row (`anchor_of`): its req/s over the geometric mean
    of its anchor's nearest loads before and after it (the one there is, if the other is
    missing). The geometric mean is the mean of the two ratios in proportion, so a steady drift
    of the anchor between the two loads cancels out."""
    ratios = {}
    for position, (index, rps) in enumerate(timeline):
        anchor = anchor_of.get(index)
        if anchor is None:
            continue
        before = next((r for i, r in reversed(timeline[:position]) if i == anchor), None)
        after = next((r for i, r in timeline[position + 1 :] if i == anchor), None)
        around = [r for r in (before, after) if r]
        if around:
            ratios[index] = rps / math.prod(around) ** (1 / len(around))
    return ratios


def measure(servers: list[Server]) -> list[Page]:
    rows = {server.scale: _chosen(pages(server.facts)) for server in servers}
    first = rows[servers[0].scale]
    for server in servers:
        for page in rows[server.scale]:
            status = _status(server, page.url)  # also warms the workers' caches
            if status != 200:
                print(f"  {server.scale}×: {page.label} {page.url} answered {status}")
    order = schedule(first)
    loads = len(order) * len(servers) * ROUNDS
    print(
        f"  {loads} loads of {SECONDS} s ({len(order)} a round at each scale): "
        f"about {math.ceil(loads * (SECONDS + 1) / 60)} minutes",
        flush=True,
    )
    for n in range(ROUNDS):
        print(f"  round {n + 1} of {ROUNDS} …", flush=True)
        timeline: dict[int, list[tuple[int, float]]] = {server.scale: [] for server in servers}
        for index in order:
            page = first[index]
            for server in servers:
                rps, errors = _wrk(server, rows[server.scale][index].url)
                _drain(server)
                if VERBOSE:
                    print(f"    {server.scale}× {page.label}: {rps:.1f} req/s, {errors} errors")
                timeline[server.scale].append((index, rps))
                page.samples.setdefault(server.scale, []).append(rps)
                page.errors[server.scale] = page.errors.get(server.scale, 0) + errors
        _record_round(first, timeline)
    return first


def _record_round(rows: list[Page], timeline: dict[int, list[tuple[int, float]]]) -> None:
    """Keep the round's ratio of each page at each scale, and its growth: its time per request
    at the last scale over the first, from loads seconds apart."""
    scales = list(timeline)
    anchor_of = {index: ANCHOR_OF[row.anchor] for index, row in enumerate(rows) if row.anchor}
    for scale, loads in timeline.items():
        for index, ratio in bracketed_ratios(loads, anchor_of).items():
            rows[index].ratios.setdefault(scale, []).append(ratio)
    if len(scales) < 2:
        return
    for index, page in enumerate(rows):
        low = [rps for i, rps in timeline[scales[0]] if i == index]
        high = [rps for i, rps in timeline[scales[-1]] if i == index]
        if low and high and statistics.median(high):
            page.growths.append(statistics.median(low) / statistics.median(high))


def spread(values: list[float]) -> str:
    """The lowest and highest of the rounds' figures, e.g. "0.76–0.85"."""
    return f"{min(values):.2f}–{max(values):.2f}" if values else ""


def verdict(page: Page, scales: list[int]) -> str:
    """Against #16, from the rounds: "met" when every round's ratio reaches the target at every
    scale and every round's growth is within GROWTH_TARGET; "short" when no round reaches the
    ratio at some scale (or every round grows too much); "noise" otherwise: the spread
    straddles the line, so the run cannot tell (the median says which side it leans to)."""
    if not page.anchor or not page.judged:
        return ""
    target = TARGET[page.anchor]
    ratios = [page.ratios.get(scale) or [0.0] for scale in scales]
    growths = page.growths or [1.0]
    if any(max(r) < target for r in ratios) or min(growths) > GROWTH_TARGET:
        return "short"
    if any(min(r) < target for r in ratios) or max(growths) > GROWTH_TARGET:
        return "noise"
    return "met"


def report(measured: list[Page], scales: list[int]) -> None:
    low, high = scales[0], scales[-1]
    head = "".join(f" {f'req/s {s}×':>11} {f'ratio {s}×':>9} {f'spread {s}×':>11}" for s in scales)
    grow = f" {f'time {high}×/{low}×':>13} {'spread':>11} {'anchor':>7}" if high != low else ""
    load = "wrk" if shutil.which("wrk") else "the Python load generator"
    print(
        f"\n## Pages under gunicorn -w {WORKERS}, {load} -c{CONNECTIONS} -d{SECONDS}s, {ROUNDS} "
        f"rounds: median req/s; ratio = median of the rounds' ratios against the anchor loaded "
        f"just before and after the page, spread = lowest–highest of them"
    )
    print(f"{'page':<36} {'anchor':<9}{head}{grow} {'errors':>7} {'#16':>6}")
    for page in measured:
        anchor = measured[ANCHOR_OF[page.anchor]] if page.anchor else None
        line = f"{page.label:<36} {page.anchor:<9}"
        for scale in scales:
            ratios = page.ratios.get(scale, [])
            ratio = f"{statistics.median(ratios):8.2f}×" if ratios else ""
            line += f" {page.median(scale):>11.1f} {ratio:>9} {spread(ratios):>11}"
        if high != low:
            line += f" {_growth(page):>13} {spread(page.growths):>11}"
            line += f" {_growth(anchor) if anchor else '':>7}"
        line += f" {sum(page.errors.values()):>7} {verdict(page, scales):>6}"
        print(line)
    print(
        f"target: ratio ≥ 0.8× (cascade ≥ 1× of agg2) at every scale; time growth ≤ "
        f"{GROWTH_TARGET}; met / short: every round meets it / none does; noise: some do"
    )


def _growth(page: Page) -> str:
    """Time per request at the last scale over time at the first: the median of the rounds'."""
    return f"{statistics.median(page.growths):.2f}" if page.growths else "–"


def main() -> int:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10").split(",")]
    servers = []
    try:
        for scale in scales:
            url = f"{base}_w{scale}"
            facts = _seed(scale, url)
            print(
                f"{scale}× world ({url.rsplit('/', 1)[1]}): {facts['units']:,} units, "
                f"{facts['users']:,} users, {facts['tasks']:,} tasks, {facts['dossiers']:,} "
                f"dossiers; seeded in {facts['seeded_seconds'] or '(already there)'} s",
                flush=True,
            )
            servers.append(_start(scale, url, facts))
        load = os.getloadavg()
        print(f"load average before: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
        measured = measure(servers)
        report(measured, scales)
        load = os.getloadavg()
        print(f"load average after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
