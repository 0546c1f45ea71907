"""The council `bench/web.py` measures: the demo council, sittings built through the domain, and years of work in
bulk around them. Kept as a PostgreSQL template database named by `SEED_VERSION` and the volume, so a second run
copies it (CREATE DATABASE ... TEMPLATE) in seconds instead of building it again.

What is measured is built the way the council builds it (`demo.demo._Demo`'s steps: drafts written, visaed,
published, reviewed by their committees, put on an agenda by the secretary, members registered, the sitting
opened, the agenda approved): the console's 60-item sitting and the sittings whose items the bench votes on. The
volume around them — drafts in every state with their visas and conclusions, closed sessions with their items,
roll-call votes of 27 ballots and numbered decisions with their registry entries — is written with COPY, in the
shapes the domain writes (a creation entry and the latest move in each document's log; the registry's terms made
by the domain's own lemmatiser), since its rows are only read by the pages measured.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from demo import demo_data as data
from demo.demo import _Demo
from workflow import schema
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.council.decisions.words import terms
from workflow.council.organisation.queries import council_members
from workflow.council.sittings import sessions
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.people import Person

#: bump when what is seeded changes: the cached template is then built anew
SEED_VERSION = 2
POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
#: the closed sessions of the volume: their items, each with its draft decided, and their votes
ITEMS_PER_SESSION = 8
#: the staff member whose "my work" is measured as the author of many drafts (half of every open draft is hers)
MANY_DRAFTS_AUTHOR = "i.kyrylenko"
#: the word the registry's search is measured with: an inflected form ("бюджету"), found by its lemma
SEARCH_WORD = "бюджету"
#: the deputy whose page (a voting record over every session) is measured: the demo's featured deputy
VOTING_DEPUTY = "b.melnychuk"
COMPLETE = "radaflow bench seed complete"


@dataclass(frozen=True)
class Seeded:
    """What the bench needs to know about the seeded council."""

    url: str
    #: the console's sitting (in progress, `console_items` items, agenda approved)
    console_session: int
    #: per sitting that the bench records votes at, the ids of its items not voted yet
    vote_items: dict[int, list[int]]
    #: a decision of the registry and a deputy with a voting record over every session
    decision: int
    deputy: int
    #: e-mail and password of each demo role the bench signs in as
    accounts: dict[str, tuple[str, str]]
    seconds: float


def template_name(documents: int, sessions_: int, console_items: int, vote_items: int) -> str:
    return f"radaflow_bench_web_v{SEED_VERSION}_{documents}_{sessions_}_{console_items}_{vote_items}"


def _admin() -> psycopg.Connection[Any]:
    return psycopg.connect(POSTGRES_ADMIN, autocommit=True)


def template(documents: int, sessions_: int, console_items: int, vote_items: int, *, rebuild: bool) -> str:
    """The name of a complete template database of this volume, built now unless one is cached."""
    name = template_name(documents, sessions_, console_items, vote_items)
    with _admin() as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if row is not None and row[0] == COMPLETE and not rebuild:
            return name
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    build(POSTGRES_URL.format(name=name), documents, sessions_, console_items, vote_items)
    print(f"seeded {name} in {time.perf_counter() - started:.1f} s", flush=True)
    with _admin() as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{COMPLETE}'")
    return name


def copy_of(name: str, prefix: str) -> str:
    """A fresh database copied from the template: every run measures the same data."""
    copy = f"{prefix}_{random.getrandbits(32):08x}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return copy


def drop(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- through the domain: the demo council and the sittings measured ---------------------------------------------
class _BenchCouncil(_Demo):
    """The demo's scenario, and sittings in progress built with its steps."""

    def sitting(self, number: int, items: int, now: datetime) -> tuple[Document, list[Document]]:
        """`items` drafts reviewed by their committees, on the agenda of session `number` held today, every member
        registered, the sitting opened and its agenda approved."""
        specs = list(data.past_drafts(self.today.year).values())
        drafts = []
        for i in range(items):
            spec = specs[i % len(specs)]
            spec = replace(spec, title=f"{spec.title} (питання {i + 1} сесії № {number})")
            drafts.append(self.reviewed(f"s{number}-{i}", spec, published=-40, reviewed=-20))
        plenary = sessions.plan_session(
            self.session,
            self.secretary,
            number=number,
            starts_at=now - timedelta(hours=1),
            place=data.PLACE,
            now=self.at(-25, 12),
        )
        agenda = [
            sessions.add_to_agenda(
                self.session,
                plenary,
                self.secretary,
                draft,
                reporter=self.people[self.authors[f"s{number}-{i}"]],
                now=self.at(-14, 10),
            )
            for i, draft in enumerate(drafts)
        ]
        fire(self.session, plenary, "convene", self.secretary, now=self.at(-12, 12))
        present = council_members(self.session, now)
        for person_id in present:
            person = self.session.get(Person, person_id)
            assert person is not None
            sessions.register(self.session, plenary, self.secretary, person, now=now - timedelta(minutes=50))
        fire(self.session, plenary, "open", self.mayor, now=now - timedelta(minutes=40))
        sessions.approve_agenda(
            self.session, plenary, self.secretary, dict.fromkeys(present, "for"), now=now - timedelta(minutes=35)
        )
        return plenary, agenda


def build(url: str, documents: int, sessions_: int, console_items: int, vote_items: int) -> None:
    registry = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
    engine = make_engine(url)
    schema.upgrade(engine)
    factory = make_sessionmaker(engine, registry)
    today = date.today()
    now = datetime.now(UTC)
    started = time.perf_counter()
    with factory.begin() as session:
        registry.sync(session)
        council = _BenchCouncil(session, today)
        # the demo's own steps (what `seed_demo` runs), then the sittings, on the same people
        council.set_up()
        council.past_sessions()
        council.upcoming_session()
        council.citizen_messages()
        number = 900
        console, _items = council.sitting(number, console_items, now)
        pools = []
        left = vote_items
        while left > 0:
            number += 1
            plenary, items = council.sitting(number, min(left, 60), now)
            pools.append((plenary.id, [item.id for item in items]))
            left -= len(items)
        console_id = console.id
    print(f"  the demo and {len(pools) + 1} sittings through the domain: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        _bulk(connection, documents, sessions_, today)
    print(f"  the volume in bulk: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as connection:
        # the seed's notices and papers are not what is measured: a worker starting on them mid-run would be noise
        connection.execute("UPDATE outbox SET status = 'done', done_at = now() WHERE status = 'pending'")
        connection.execute("VACUUM ANALYZE")
        connection.execute(
            "CREATE TABLE bench_seed (key text PRIMARY KEY, value jsonb NOT NULL)"  # what the bench reads back
        )
        connection.execute(
            "INSERT INTO bench_seed VALUES ('console', %s), ('votes', %s)",
            (json.dumps(console_id), json.dumps(dict(pools))),
        )
    print(f"  analysed: {time.perf_counter() - started:.1f} s")
    engine.dispose()


def read_back(url: str) -> tuple[int, dict[int, list[int]], int, int]:
    """The console's session, the sittings' unvoted items, a decision of the registry and a deputy."""
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as connection:
        values = dict(connection.execute("SELECT key, value FROM bench_seed").fetchall())
        decision = connection.execute(
            "SELECT document_id FROM decision_entries ORDER BY decided_on DESC, document_id DESC LIMIT 1"
        ).fetchone()
        deputy = connection.execute(
            "SELECT id FROM persons WHERE email = %s", (f"{VOTING_DEPUTY}@{data.EMAIL_DOMAIN}",)
        ).fetchone()
    assert decision is not None
    assert deputy is not None
    votes = {int(k): v for k, v in values["votes"].items()}
    return values["console"], votes, decision[0], deputy[0]


# --- in bulk: the volume ----------------------------------------------------------------------------------------
def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


class _Ids:
    """Ids handed out past the table's own (its sequence moved past them afterwards)."""

    def __init__(self, connection: psycopg.Connection[Any], table: str) -> None:
        self.table = table
        self.next = (connection.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone() or (0,))[0] + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1

    def settle(self, connection: psycopg.Connection[Any]) -> None:
        connection.execute(f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), %s)", (self.next,))


DOCUMENT_COLUMNS = (
    "id, kind, definition_version, state, version, title, fields, author_id, parent_id, parent_version, created_at,"
    " updated_at, state_entered_at, due_at, audit_hash"
)
AUDIT_COLUMNS = "id, document_id, version, at, actor_id, trigger, from_state, to_state, comment, data, prev_hash, hash"


def _bulk(connection: psycopg.Connection[Any], documents: int, sessions_: int, today: date) -> None:
    rng = random.Random(f"radaflow-bench-{SEED_VERSION}")
    row = connection.execute("SELECT count(*) FROM documents").fetchone()
    existing = row[0] if row else 0
    versions = dict(connection.execute("SELECT kind, max(version) FROM definition_versions GROUP BY kind").fetchall())
    people = {
        email.split("@")[0]: pid
        for pid, email in connection.execute("SELECT id, email FROM persons WHERE email IS NOT NULL").fetchall()
    }
    names = dict(connection.execute("SELECT id, full_name FROM persons").fetchall())
    members = sorted({people[data.MAYOR[1]], *(people[key] for _n, key in data.DEPUTIES)})
    committees = [row[0] for row in connection.execute("SELECT id FROM committees ORDER BY id").fetchall()]
    departments = dict(connection.execute("SELECT kind, id FROM departments").fetchall())
    council_id, convocation, total = connection.execute(
        "SELECT id, convocation, total_composition FROM councils ORDER BY id LIMIT 1"
    ).fetchone() or (0, 0, 0)
    secretary = people[data.SECRETARY]
    staff = [people[key] for _n, key in data.STAFF]
    deputies = [people[key] for _n, key in data.DEPUTIES]
    many = people[MANY_DRAFTS_AUTHOR]
    texts = _texts(today)

    doc_ids, audit_ids = _Ids(connection, "documents"), _Ids(connection, "audit_entries")
    vote_ids, ballot_ids = _Ids(connection, "votes"), _Ids(connection, "ballots")
    decision_ids = _Ids(connection, "decisions")
    next_number = (connection.execute("SELECT max(number) FROM decisions").fetchone() or (0,))[0] or 0
    docs: list[tuple[Any, ...]] = []
    audit: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    plenaries: list[tuple[Any, ...]] = []
    votes: list[tuple[Any, ...]] = []
    ballots: list[tuple[Any, ...]] = []
    decisions: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    attendance: list[tuple[Any, ...]] = []
    attendance_ids = _Ids(connection, "attendance")

    def document(
        kind: str,
        state: str,
        title: str,
        fields: dict[str, Any],
        author: int | None,
        at: datetime,
        *,
        parent: int | None = None,
        due: datetime | None = None,
        trigger: str = "move",
    ) -> int:
        did = doc_ids.take()
        first = _hash(did, 1)
        audit.append(
            (
                audit_ids.take(),
                did,
                1,
                at,
                author,
                "create",
                None,
                "drafting" if kind == "decision_draft" else state,
                None,
                "{}",
                "0" * 64,
                first,
            )
        )
        version, last = 1, first
        if (kind == "decision_draft" and state != "drafting") or (kind != "decision_draft" and trigger != "move"):
            version, last = 2, _hash(did, 2)
            audit.append(
                (
                    audit_ids.take(),
                    did,
                    2,
                    at + timedelta(days=1),
                    author,
                    trigger,
                    "drafting" if kind == "decision_draft" else None,
                    state,
                    None,
                    "{}",
                    first,
                    last,
                )
            )
        docs.append(
            (
                did,
                kind,
                versions[kind],
                state,
                version,
                title,
                json.dumps(fields, ensure_ascii=False),
                author,
                parent,
                2 if parent else None,  # the version its parent's move produced
                at,
                at,
                at + timedelta(days=1),
                due,
                last,
            )
        )
        return did

    # closed sessions, each with its protocol, its items and their drafts, decided by roll call
    for s in range(sessions_):
        day = today - timedelta(days=7 * (s + 1))
        starts = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)
        number = 1000 + s
        plenary = document(
            "session", "closed", f"Сесія № {number}", {"kind": "regular"}, secretary, starts, trigger="close"
        )
        plenaries.append((plenary, council_id, convocation, number, "regular", starts, data.PLACE))
        document(
            "session_protocol",
            "published",
            f"Протокол сесії № {number}",
            {},
            secretary,
            starts,
            parent=plenary,
            trigger="publish",
        )
        present = [m for m in members if rng.random() > 0.1]
        for person in present:
            attendance.append((attendance_ids.take(), plenary, person, names[person], starts, True, None))
        agenda_vote = vote_ids.take()
        votes.append(
            _vote(
                agenda_vote,
                plenary,
                plenary,
                "approve_agenda",
                "Про затвердження порядку денного",
                total,
                len(present),
                len(present),
                starts,
                secretary,
            )
        )
        for person in members:
            choice = "for" if person in present else "absent"
            ballots.append((ballot_ids.take(), agenda_vote, person, choice, names[person]))
        for i in range(ITEMS_PER_SESSION):
            spec = texts[(s * ITEMS_PER_SESSION + i) % len(texts)]
            adopted = rng.random() < 0.85
            author = rng.choice(staff + deputies[:4])
            draft_state = rng.choice(("published", "in_force")) if adopted else "rejected"
            title = f"{spec['title']} (сесія № {number}, питання {i + 1})"
            draft = document(
                "decision_draft",
                draft_state,
                title,
                {"body": spec["body"]},
                author,
                starts,
                trigger="publish" if adopted else "reject",
            )
            item = document(
                "agenda_item",
                "adopted" if adopted else "rejected",
                title,
                {"draft_id": draft, "position": i + 1},
                secretary,
                starts,
                parent=plenary,
                trigger="adopt" if adopted else "reject",
            )
            items.append((item, plenary, i + 1, draft, 1, author))
            vote = vote_ids.take()
            held = starts + timedelta(minutes=10 + 15 * i)
            choices = {}
            for person in members:
                if person not in present:
                    choices[person] = "absent"
                else:
                    choices[person] = (
                        "for"
                        if rng.random() < (0.8 if adopted else 0.3)
                        else rng.choice(("against", "abstain", "not_voted"))
                    )
            count_for = sum(1 for c in choices.values() if c == "for")
            votes.append(
                _vote(
                    vote,
                    plenary,
                    item,
                    "decision",
                    f"Про прийняття рішення «{title}» в цілому",
                    total,
                    len(present),
                    count_for,
                    held,
                    secretary,
                    choices,
                )
            )
            ballots.extend((ballot_ids.take(), vote, p, c, names[p]) for p, c in choices.items())
            official = None
            if adopted:
                next_number += 1
                official = f"№ {next_number}-{number}-VIII"
                decisions.append(
                    (
                        decision_ids.take(),
                        draft,
                        council_id,
                        next_number,
                        number,
                        convocation,
                        official,
                        day,
                        starts,
                        None,
                    )
                )
            heading = f"{spec['heading']} {' '.join(terms(official or ''))}"
            entries.append(
                (
                    draft,
                    2,
                    draft_state,
                    official,
                    day,
                    plenary,
                    rng.choice(committees),
                    author,
                    "new",
                    "",
                    "",
                    _hash(draft, "content"),
                    heading,
                    spec["body_terms"],
                    starts,
                )
            )

    # the open work: drafts in every state of their way, with their visas and conclusions, and the archive
    open_documents = max(0, documents - existing - len(docs))
    pattern = ["drafting"] * 4 + ["visas"] * 3 + ["public_discussion"] + ["committee_review"] + ["withdrawn"] * 3
    made = 0
    j = 0
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    while made < open_documents:
        state = pattern[j % len(pattern)]
        j += 1
        spec = texts[j % len(texts)]
        author = many if j % 2 == 0 else rng.choice(staff + deputies[:6])
        at = now - timedelta(days=rng.randrange(1, 400), hours=rng.randrange(0, 9))
        due = at + timedelta(days=7) if state == "visas" else None
        draft = document(
            "decision_draft",
            state,
            f"{spec['title']} (проєкт № {j})",
            {"body": spec["body"]},
            author,
            at,
            due=due,
            trigger={"drafting": "move"}.get(state, "submit"),
        )
        made += 1
        if state == "visas":
            for kind in ("legal", "finance"):
                given = rng.random() < 0.5
                document(
                    "visa",
                    "given" if given else "requested",
                    f"Віза: {spec['title']}",
                    {"department_id": departments[kind], "department_kind": kind},
                    None,
                    at,
                    parent=draft,
                    due=None if given else due,
                    trigger="give" if given else "move",
                )
            made += 2
        elif state == "committee_review":
            lead, advisory = rng.sample(committees, 2)
            for committee, is_lead in ((lead, True), (advisory, False)):
                signed = rng.random() < 0.5
                document(
                    "committee_conclusion",
                    "signed" if signed else "prepared",
                    f"Висновок: {spec['title']}",
                    {"committee_id": committee, "lead": is_lead},
                    None,
                    at,
                    parent=draft,
                    trigger="sign" if signed else "move",
                )
            made += 2

    _copy(connection, f"documents ({DOCUMENT_COLUMNS})", docs)
    _copy(connection, f"audit_entries ({AUDIT_COLUMNS})", audit)
    _copy(
        connection, "plenary_sessions (document_id, council_id, convocation, number, kind, starts_at, place)", plenaries
    )
    _copy(connection, "agenda_items (document_id, session_id, position, draft_id, draft_version, reporter_id)", items)
    _copy(connection, "attendance (id, session_id, person_id, name, registered_at, present, audit_version)", attendance)
    _copy(
        connection,
        "votes (id, session_id, committee_id, subject_id, purpose, question, threshold,"
        " total_composition, required, registered, votes_for, votes_against, abstained, not_voted, absent, result,"
        " reason, held_at, publish_by, recorded_by_id, subject_version, audit_version)",
        votes,
    )
    _copy(connection, "ballots (id, vote_id, person_id, choice, name)", ballots)
    _copy(
        connection,
        "decisions (id, draft_id, council_id, number, session_number, convocation, official_number,"
        " adopted_on, numbered_at, audit_version)",
        decisions,
    )
    connection.execute(
        "CREATE TEMP TABLE bench_entries (document_id int, document_version int, status text, official_number text,"
        " decided_on date, session_id int, committee_id int, initiator_id int, effect text, files_text text,"
        " files_key text, content_key text, heading text, body text, indexed_at timestamptz)"
    )
    _copy(connection, "bench_entries", entries)
    connection.execute(
        """
        INSERT INTO decision_entries (document_id, document_version, status, official_number, decided_on, session_id,
                                      committee_id, initiator_id, effect, files_text, files_key, content_key, terms,
                                      indexed_at)
        SELECT document_id, document_version, status, official_number, decided_on, session_id, committee_id,
               initiator_id, effect, files_text, files_key, content_key,
               setweight(to_tsvector('simple', heading), 'A') || setweight(to_tsvector('simple', body), 'B'),
               indexed_at
          FROM bench_entries
        """
    )
    connection.execute("UPDATE councils SET next_decision_number = %s", (next_number + 1,))
    for ids in (doc_ids, audit_ids, vote_ids, ballot_ids, decision_ids, attendance_ids):
        ids.settle(connection)
    print(f"  {len(docs)} documents, {len(votes)} votes, {len(ballots)} ballots, {len(decisions)} decisions in bulk")


def _vote(
    vid: int,
    plenary: int,
    subject: int,
    purpose: str,
    question: str,
    total: int,
    registered: int,
    count_for: int,
    held: datetime,
    secretary: int,
    choices: dict[int, str] | None = None,
) -> tuple[Any, ...]:
    required = total // 2 + 1
    tally = dict.fromkeys(("for", "against", "abstain", "not_voted", "absent"), 0)
    for choice in (choices or {}).values():
        tally[choice] += 1
    if choices is None:
        tally["for"], tally["absent"] = count_for, total - registered
    result = "adopted" if count_for >= required else "rejected"
    reason = (
        f"{result}: {tally['for']} for, {tally['against']} against, {tally['abstain']} abstained, "
        f"{tally['not_voted']} did not vote, {tally['absent']} absent; more than half of the total composition "
        f"of {total} is {required} votes for"
    )
    return (
        vid,
        plenary,
        None,
        subject,
        purpose,
        question,
        "majority",
        total,
        required,
        registered,
        tally["for"],
        tally["against"],
        tally["abstain"],
        tally["not_voted"],
        tally["absent"],
        result,
        reason,
        held,
        held + timedelta(days=5),
        secretary,
        1,
        None,
    )


def _texts(today: date) -> list[dict[str, str]]:
    """The demo's drafts as the templates of the volume's, with the registry's terms made by the domain."""
    specs = [*data.past_drafts(today.year).values(), *data.upcoming_drafts(today.year).values()]
    out = []
    for spec in specs:
        body = data.draft_body(spec, "постійну комісію з питань бюджету")
        out.append(
            {
                "title": spec.title,
                "body": body,
                "heading": " ".join(terms(spec.title)),
                "body_terms": " ".join(terms(body)),
            }
        )
    return out


def _copy(connection: psycopg.Connection[Any], target: str, rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
