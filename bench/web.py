"""Benchmark: the cabinet's and the portal's busiest pages under gunicorn, each beside a bare endpoint of the same app.

    .venv/bin/python bench/web.py [--documents N] [--sessions N] [--requests N] [--rounds R] [--clients C]
                                  [--votes N] [--rebuild-seed] [--baseline DIR]

The council is the demo's, grown to `--documents` documents (100,000: drafts in every state with their visas and
conclusions, `--sessions` closed sessions whose roll-call votes have 27 ballots each, numbered decisions in the
registry with their texts indexed) around sittings built through the domain: a 60-item sitting in progress for the
console, and sittings whose items the bench votes on (bench/web_seed.py). The seed is kept as a template database
named by its version and volume; each run measures a fresh copy of it.

gunicorn serves it with 2 workers on PostgreSQL. `C` client threads on keep-alive connections, signed in with real
sign-in cookies, ask for each page `--requests` times in `R` rounds, alternating with as many requests for
`/bench/bare` (bench/served/web_app.py: the same app's framework work without a query), so the machine's noise hits both
alike. Measured: "my work" of every demo role (the secretary and the author of many drafts at length), the sitting
console, recording one 27-ballot vote (the secretary's form posted, one client per sitting as in the hall), and the
portal: the registry searched for an inflected word, a decision's page, a deputy's page (their voting record over
every session), the home page. Figures are p95 and median latency and requests per second; `ratio` is the page's
p95 over the bare endpoint's in the same rounds.

With `--baseline DIR` (a checkout of an earlier commit, e.g. `git archive main | tar -x -C DIR`) the same pages are
also served from that code, on its own copy of the database at that code's schema, in rounds alternating with
this code's: before and after side by side. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))

import web_seed  # noqa: E402

from demo import demo_data as data  # noqa: E402

#: the demo roles whose "my work" is measured, by the account README's "Try it" table names
ROLES = {role: (key, password) for role, key, password in data.FEATURED if role not in ("citizen",)}
SECRETARY = "council secretary"
AUTHOR = "staff (writes drafts)"
TARGET_MS = 100.0


# --- the server ---------------------------------------------------------------------------------------------
@dataclass
class Server:
    """gunicorn with 2 workers serving one checkout's code on one database."""

    code: Path
    database: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    instance: tempfile.TemporaryDirectory[str] = field(default_factory=tempfile.TemporaryDirectory)

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DATABASE_URL": web_seed.POSTGRES_URL.format(name=self.database),
            "RADAFLOW_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SMTP_URL": "off",
            "RADAFLOW_INSTANCE": self.instance.name,
            "RADAFLOW_LIMIT_PER_ADDRESS": "10000 per minute",
            "RADAFLOW_LIMIT_PER_ACCOUNT": "10000 per minute",
            "PYTHONPATH": f"{self.code}:{ROOT / 'bench' / 'served'}",
            "RADAFLOW_BENCH_CODE": str(self.code),
        }
        env.pop("REDIS_URL", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(self.code),
                "--log-level",
                "warning",
                "web_app:create()",
            ],
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body, _headers = request(self.port, "GET", "/bench/bare")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}")
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.instance.cleanup()


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


class Client:
    """One keep-alive connection with one signed-in person's cookies."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.port = port
        self.cookie = cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, payload

    def close(self) -> None:
        self.connection.close()


def sign_in(port: int, key: str, password: str) -> str:
    """The session cookie of a real sign-in through the sign-in form."""
    client = Client(port)
    status, page = client.send("GET", "/login")
    token = csrf_token(page)
    status, _ = client.send(
        "POST", "/login", {"csrf_token": token, "email": f"{key}@{data.EMAIL_DOMAIN}", "password": password}
    )
    client.close()
    if status != 302:
        raise SystemExit(f"{key} could not sign in: {status}")
    return client.cookie


def csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        rb'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    if found is None:
        raise SystemExit("no CSRF token on the page")
    return found.group(1).decode()


# --- measuring ------------------------------------------------------------------------------------------------
#: one request: (client, index) -> whether the answer was the one expected
Ask = Callable[[Client, int], bool]


@dataclass
class Samples:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    failures: int = 0

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")
        return {
            "p95_ms": round(p95 * 1000, 2),
            "median_ms": round(statistics.median(ordered) * 1000, 2) if ordered else float("nan"),
            "rps": round(len(ordered) / self.seconds, 1) if self.seconds else 0.0,
        }


def burst(clients: list[Client], ask: Ask, count: int, start: int, samples: Samples) -> None:
    """`count` requests spread over the clients' threads; their latencies and the burst's wall time."""
    lock = threading.Lock()
    counter = iter(range(start, start + count))

    def work(client: Client) -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            began = time.perf_counter()
            ok = ask(client, index)
            elapsed = time.perf_counter() - began
            with lock:
                samples.latencies.append(elapsed)
                samples.failures += 0 if ok else 1

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.seconds += time.perf_counter() - began


def alternate(contenders: dict[str, tuple[list[Client], Ask]], requests: int, rounds: int) -> dict[str, Samples]:
    """Each contender `requests` times in `rounds` interleaved rounds, after a short warm-up of each."""
    results = {name: Samples() for name in contenders}
    for clients, ask in contenders.values():
        burst(clients, ask, min(10, requests), 10**6, Samples())
    per_round = max(1, requests // rounds)
    for r in range(rounds):
        for name, (clients, ask) in contenders.items():
            burst(clients, ask, per_round, r * per_round, results[name])
    for name, samples in results.items():
        if samples.failures:
            raise SystemExit(f"{name}: {samples.failures} answers were not the ones expected")
    return results


def get(path: str, status: int = 200, must: bytes | None = None) -> Ask:
    def ask(client: Client, _index: int) -> bool:
        got, body = client.send("GET", path)
        return got == status and (must is None or must in body)

    return ask


def with_bare(
    pages: dict[str, tuple[list[Client], Ask]], bare: list[Client], requests: int, rounds: int
) -> dict[str, dict[str, float]]:
    """Each page beside the bare endpoint, with as many clients, in the same rounds."""
    out = {}
    for name, (clients, ask) in pages.items():
        measured = alternate(
            {name: (clients, ask), "bare": (bare[: len(clients)], get("/bench/bare"))}, requests, rounds
        )
        page, floor = measured[name].figures(), measured["bare"].figures()
        out[name] = {
            **page,
            "bare_p95_ms": floor["p95_ms"],
            "bare_rps": floor["rps"],
            "ratio": round(page["p95_ms"] / floor["p95_ms"], 2),
        }
        print(
            f"{name:28} p95 {page['p95_ms']:8.1f} ms  median {page['median_ms']:7.1f} ms  {page['rps']:7.1f} req/s"
            f"   bare p95 {floor['p95_ms']:5.1f} ms {floor['rps']:7.1f} req/s",
            flush=True,
        )
    return out


# --- the run ----------------------------------------------------------------------------------------------------
@dataclass
class Site:
    server: Server
    cookies: dict[str, str]
    console: int
    vote_items: dict[int, list[int]]
    members: list[int]
    decision: int
    deputy: int


def open_site(code: Path, database: str, baseline: bool = False) -> Site:
    url = web_seed.POSTGRES_URL.format(name=database)
    console, vote_items, decision, deputy = web_seed.read_back(url)
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        members = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT person_id FROM attendance WHERE session_id = %s ORDER BY 1", (console,)
            )
        ]
    server = Server(code, database)
    server.start()
    cookies = {role: sign_in(server.port, key, data.PASSWORDS[password]) for role, (key, password) in ROLES.items()}
    return Site(server, cookies, console, vote_items, members, decision, deputy)


def pages(site: Site, clients: int) -> dict[str, tuple[list[Client], Ask]]:
    port = site.server.port

    def signed(role: str, n: int = clients) -> list[Client]:
        return [Client(port, site.cookies[role]) for _ in range(n)]

    anonymous = [Client(port) for _ in range(clients)]
    found = urllib.parse.quote(web_seed.SEARCH_WORD)
    return {
        "inbox": (signed(SECRETARY), get("/cabinet")),
        "inbox_author": (signed(AUTHOR), get("/cabinet")),
        "console": (signed(SECRETARY), get(f"/cabinet/sessions/{site.console}/sitting")),
        "search": (anonymous, get(f"/decisions?q={found}")),
        "decision": (anonymous, get(f"/decisions/{site.decision}")),
        "deputy": (anonymous, get(f"/deputies/{site.deputy}")),
        "home": (anonymous, get("/")),
    }


def role_pages(site: Site, clients: int) -> dict[str, tuple[list[Client], Ask]]:
    return {
        f"inbox[{role}]": ([Client(site.server.port, site.cookies[role]) for _ in range(clients)], get("/cabinet"))
        for role in ROLES
        if role not in (SECRETARY, AUTHOR)
    }


def record_vote(site: Site, bare: list[Client], rounds: int) -> dict[str, float]:
    """The secretary records one 27-ballot vote per request (ticked, all registered "for"): one client per sitting,
    each voting its sitting's items in order; the bare endpoint alternates with as many clients."""
    sittings = list(site.vote_items.items())
    clients = [Client(site.server.port, site.cookies[SECRETARY]) for _ in sittings]
    tokens = []
    for client, (plenary, items) in zip(clients, sittings, strict=True):
        _status, page = client.send(
            "GET", f"/cabinet/sessions/{plenary}/sitting/vote?purpose=decision&subject={items[0]}"
        )
        tokens.append(csrf_token(page))
    queues = [list(items) for _plenary, items in sittings]
    ballots = {f"ballot-{member}": "for" for member in site.members}
    by_client = {id(client): n for n, client in enumerate(clients)}

    taking = threading.Lock()

    def ask(client: Client, _index: int) -> bool:
        with taking:  # its own sitting's next item; once that sitting is done, one of the sitting most left
            n = by_client[id(client)]
            if not queues[n]:
                n = max(range(len(queues)), key=lambda q: len(queues[q]))
            plenary = sittings[n][0]
            item = queues[n].pop(0)
        status, _body = client.send(
            "POST",
            f"/cabinet/sessions/{plenary}/sitting/vote/ticked",
            {"csrf_token": tokens[n], "purpose": "decision", "subject": str(item), **ballots},
        )
        return status == 302

    total = sum(len(q) for q in queues) - len(queues)  # one each is left for the warm-up's share below
    results = Samples()
    floor = Samples()
    per_round = max(len(clients), total // rounds)
    burst(clients, ask, len(clients), 10**6, Samples())  # warm-up: one vote per sitting
    done = 0
    while done + per_round <= total:
        burst(clients, ask, per_round, done, results)
        burst(bare[: len(clients)], get("/bench/bare"), per_round, done, floor)
        done += per_round
    if results.failures:
        raise SystemExit(f"record_vote: {results.failures} votes were not recorded")
    page, base = results.figures(), floor.figures()
    print(
        f"{'record_vote':28} p95 {page['p95_ms']:8.1f} ms  median {page['median_ms']:7.1f} ms  {page['rps']:7.1f} "
        f"req/s   bare p95 {base['p95_ms']:5.1f} ms {base['rps']:7.1f} req/s  ({len(results.latencies)} votes)",
        flush=True,
    )
    return {
        **page,
        "votes": len(results.latencies),
        "bare_p95_ms": base["p95_ms"],
        "bare_rps": base["rps"],
        "ratio": round(page["p95_ms"] / base["p95_ms"], 2),
    }


def recorded_votes(database: str, plenaries: list[int]) -> int:
    with psycopg.connect(web_seed.POSTGRES_URL.format(name=database).replace("postgresql+psycopg", "postgresql")) as c:
        row = c.execute(
            "SELECT count(*) FROM votes WHERE session_id = ANY(%s) AND purpose = 'decision'", (plenaries,)
        ).fetchone()
    return row[0] if row else 0


def compare(current: Site, before: Site, clients: int, requests: int, rounds: int) -> dict[str, dict[str, float]]:
    """The same pages from the baseline's code and this code, in alternating rounds."""
    ours, theirs = pages(current, clients), pages(before, clients)
    ours.update(role_pages(current, max(1, clients // 2)))
    theirs.update(role_pages(before, max(1, clients // 2)))
    out = {}
    for name in ours:
        measured = alternate({"before": theirs[name], "after": ours[name]}, requests, rounds)
        a, b = measured["before"].figures(), measured["after"].figures()
        out[name] = {
            "before_p95_ms": a["p95_ms"],
            "after_p95_ms": b["p95_ms"],
            "before_rps": a["rps"],
            "after_rps": b["rps"],
        }
        print(
            f"{name:28} before p95 {a['p95_ms']:8.1f} ms {a['rps']:7.1f} req/s   after p95 {b['p95_ms']:8.1f} ms"
            f" {b['rps']:7.1f} req/s",
            flush=True,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000, help="documents in the database (default 100000)")
    parser.add_argument(
        "--sessions",
        type=int,
        default=None,
        help="closed sessions with their votes (default 2000, fewer with fewer documents)",
    )
    parser.add_argument("--console-items", type=int, default=60)
    parser.add_argument("--votes", type=int, default=240, help="votes recorded (sittings of 60 items are built)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=2, help="client threads, one per worker (default 2)")
    parser.add_argument("--rebuild-seed", action="store_true", help="build the template database anew")
    parser.add_argument("--keep", action="store_true", help="keep the measured copy (its name is printed)")
    parser.add_argument("--baseline", type=Path, help="a checkout of earlier code to measure beside this one")
    parser.add_argument("--baseline-requests", type=int, default=30, help="requests per page with --baseline")
    args = parser.parse_args()
    sessions_ = args.sessions if args.sessions is not None else min(2000, args.documents // 50)

    result: dict[str, Any] = {"bench": "web", "documents": args.documents, "sessions": sessions_}
    began = time.perf_counter()
    name = web_seed.template(args.documents, sessions_, args.console_items, args.votes, rebuild=args.rebuild_seed)
    result["seed_s"] = round(time.perf_counter() - began, 1)
    database = web_seed.copy_of(name, "radaflow_bench_web_run")
    databases = [database]
    sites: list[Site] = []
    try:
        site = open_site(ROOT, database)
        sites.append(site)
        print(f"serving {database} on 127.0.0.1:{site.server.port}; seed ready in {result['seed_s']} s", flush=True)
        bare = [Client(site.server.port) for _ in range(args.clients)]
        bare_samples = alternate({"bare": (bare, get("/bench/bare"))}, args.requests, args.rounds)["bare"]
        result["bare_rps"] = bare_samples.figures()["rps"]
        result["bare_p95_ms"] = bare_samples.figures()["p95_ms"]
        print(f"{'bare':28} p95 {result['bare_p95_ms']:8.1f} ms  {result['bare_rps']:7.1f} req/s", flush=True)
        result.update(with_bare(pages(site, args.clients), bare, args.requests, args.rounds))
        result["inbox_roles"] = with_bare(
            role_pages(site, max(1, args.clients // 2)), bare, max(40, args.requests // 4), args.rounds
        )
        result["record_vote"] = record_vote(site, bare, args.rounds)
        recorded = recorded_votes(database, list(site.vote_items))
        assert recorded == result["record_vote"]["votes"] + len(site.vote_items), recorded
        every_inbox = [
            result["inbox"]["p95_ms"],
            result["inbox_author"]["p95_ms"],
            *(v["p95_ms"] for v in result["inbox_roles"].values()),
        ]
        result["targets_met"] = {
            "inbox_p95_under_100_ms": max(every_inbox) < TARGET_MS,
            "record_vote_p95_under_100_ms": result["record_vote"]["p95_ms"] < TARGET_MS,
        }
        if args.baseline is not None:
            before_db = web_seed.copy_of(name, "radaflow_bench_web_before")
            databases.append(before_db)
            _at_baseline_schema(args.baseline, before_db)
            before = open_site(args.baseline.resolve(), before_db, baseline=True)
            _status, health, _headers = request(before.server.port, "GET", "/api/health")
            print("baseline serves schema", json.loads(health)["schema"], flush=True)
            sites.append(before)
            result["before_after"] = compare(site, before, args.clients, args.baseline_requests, args.rounds)
    finally:
        for s in sites:
            s.server.stop()
        for db in databases:
            if args.keep:
                print("kept", db)
            else:
                web_seed.drop(db)
    result["total_s"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result, ensure_ascii=False))


def _at_baseline_schema(code: Path, database: str) -> None:
    """The copy taken back to the newest migration the baseline's code has (its indexes gone with the newer ones)."""
    shipped = {p.name.split("_", 1)[0] for p in (code / "workflow/migrations/versions").glob("*.py")}
    ours = sorted(p.name.split("_", 1)[0] for p in (ROOT / "workflow/migrations/versions").glob("*.py"))
    target = max(r for r in ours if r in shipped)
    if target == ours[-1]:
        return
    from workflow import schema
    from workflow.db import make_engine

    engine = make_engine(web_seed.POSTGRES_URL.format(name=database))
    schema.downgrade(engine, target)
    engine.dispose()
    print(f"baseline database taken back to migration {target}", flush=True)


if __name__ == "__main__":
    main()
