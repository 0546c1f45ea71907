"""Benchmark: rendering a session's protocol, for sessions of 25, 50, 100 and 200 agenda items on a council of
27 (26 deputies and the mayor), each item with its roll-call vote of all 27 members.

    .venv/bin/python bench/docx.py [--rounds R] [--sizes 25,50,100,200]

Each session is played through the engine in a SQLite database under a temporary directory: planned, its items
proposed, convened, opened, every member registered, the agenda approved, every item voted (a different mix of
choices each time), the sitting closed, which starts its protocol. What is timed is what the `render_docx`
effect does for the protocol: the context read from the database (`protocol_context`) and the template
rendered (`tasks.docx.render`); figures are the median of R runs (7 by default), alternating over the sizes.
The time must grow no worse than linearly: the 200-item protocol within 2.2 times the 100-item one. The last
line printed is JSON.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

# this file is called docx.py: its own folder comes off the path, or it would hide python-docx from docxtpl
sys.path.remove(str(Path(__file__).resolve().parent))  # run as `python bench/docx.py`, it is first on the path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx
from sqlalchemy.orm import Session

from tasks.docx import render
from workflow import schema
from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.council.organisation import setup
from workflow.council.sittings import sessions
from workflow.council.sittings.models import AgendaItem
from workflow.council.sittings.papers import protocol_context
from workflow.db import make_engine, make_sessionmaker
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import create_document, fire
from workflow.engine.models import Document
from workflow.people import load_actor

MEMBERS = 27
#: the sitting's day: a Wednesday; the session is planned 11 days before and convened 10 days before
SITTING = datetime(2026, 3, 18, 9, 0, tzinfo=UTC)
CHOICES = ("for", "for", "for", "against", "abstain", "for", "not_voted", "for")


@dataclass
class Protocol:
    items: int
    session: Session
    document: Document


def played_session(directory: Path, items: int) -> Protocol:
    """A council of 27 and a closed session of `items` items, each voted by roll call; its protocol document."""
    engine = make_engine(f"sqlite:///{directory / f'session-{items}.sqlite3'}")
    schema.upgrade(engine)
    registry = DefinitionRegistry.from_directory(PROJECT_ROOT / "definitions", CATALOG)
    session = make_sessionmaker(engine, registry)()
    registry.sync(session)
    setup.create_council(session, name="Славутицька міська рада", convocation=8, total_composition=MEMBERS)
    mayor = setup.add_person(session, "Микола Бондар", roles=("mayor",))
    deputies = [setup.add_person(session, f"Депутат № {i:02d}", roles=("deputy",)) for i in range(1, MEMBERS)]
    members = [*deputies, mayor]
    clerk = setup.add_person(session, "Тарас Коваль", roles=("secretary",))

    def secretary(moment: datetime):  # type: ignore[no-untyped-def]
        return load_actor(session, clerk.id, moment)

    planned = SITTING - timedelta(days=11)
    plenary = sessions.plan_session(
        session, secretary(planned), number=12, starts_at=SITTING, place="Сесійна зала, пл. Свободи, 1", now=planned
    )
    documents = []
    for position in range(1, items + 1):
        title = f"Про затвердження програми розвитку № {position} на 2026–2028 роки"
        item = create_document(
            session,
            "agenda_item",
            secretary(planned),
            parent=plenary,
            title=title,
            fields={"position": position},
            now=planned,
        )
        session.add(
            AgendaItem(
                document_id=item.id,
                session_id=plenary.id,
                position=position,
                reporter_id=deputies[position % len(deputies)].id,
            )
        )
        documents.append(item)
    session.flush()
    fire(session, plenary, "convene", secretary(SITTING - timedelta(days=10)), now=SITTING - timedelta(days=10))
    chair = secretary(SITTING)
    fire(session, plenary, "open", chair, now=SITTING)
    for person in members:
        sessions.register(session, plenary, chair, person, now=SITTING)
    sessions.approve_agenda(session, plenary, chair, {m.id: "for" for m in members}, now=SITTING)
    for n, item in enumerate(documents):
        moment = SITTING + timedelta(minutes=n)
        ballots = {m.id: CHOICES[(n + i) % len(CHOICES)] for i, m in enumerate(members)}
        sessions.vote_on_item(session, plenary, chair, item, ballots, now=moment)
    protocol = sessions.close_session(session, plenary, chair, now=SITTING + timedelta(hours=8))
    session.commit()
    return Protocol(items, session, protocol)


def render_protocol(protocol: Protocol) -> bytes:
    """What the render_docx effect does for a protocol, without storing: the context read fresh, then rendered."""
    protocol.session.expire_all()
    return render("protocol", protocol_context(protocol.session, protocol.document))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sizes", default="25,50,100,200")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="radaflow-bench-docx-") as directory:
        protocols = []
        for items in sizes:
            started = time.perf_counter()
            protocols.append(played_session(Path(directory), items))
            print(f"built a session of {items:3d} items x {MEMBERS} members in {time.perf_counter() - started:.1f} s")
        for protocol in protocols:  # a first rendering of each, checked: every item's roll call is in the file
            paper = docx.Document(io.BytesIO(render_protocol(protocol)))
            roll_calls = [t for t in paper.tables if t.rows[0].cells[2].text == "Голосування"]
            assert len(roll_calls) == protocol.items + 1  # the agenda's approval and every item
            assert all(len(t.rows) == MEMBERS + 1 for t in roll_calls)
        # rounds alternate over the sizes, so the machine's noise hits every size alike
        timings: dict[int, list[float]] = {protocol.items: [] for protocol in protocols}
        sizes_bytes: dict[int, int] = {}
        for _ in range(args.rounds):
            for protocol in protocols:
                gc.collect()  # each run starts from a clean heap, not paying for the previous run's garbage
                started = time.perf_counter()
                content = render_protocol(protocol)
                timings[protocol.items].append(time.perf_counter() - started)
                sizes_bytes[protocol.items] = len(content)
        for protocol in protocols:
            protocol.session.close()

    seconds = {str(items): round(statistics.median(runs), 4) for items, runs in timings.items()}
    for items, runs in timings.items():
        per_item = statistics.median(runs) / items * 1000
        print(
            f"protocol of {items:3d} items: median {statistics.median(runs):.3f} s over {len(runs)} runs "
            f"({per_item:.1f} ms per item), {sizes_bytes[items] / 1024:.0f} KiB"
        )
    ratio = None
    if "100" in seconds and "200" in seconds:
        ratio = round(seconds["200"] / seconds["100"], 3)
        verdict = "linear or better" if ratio <= 2.2 else "WORSE THAN LINEAR"
        print(f"200 items / 100 items: {ratio:.2f} (limit 2.2): {verdict}")
    print(json.dumps({"bench": "docx", "seconds": seconds, "ratio_200_100": ratio}))
    if ratio is not None and ratio > 2.2:
        sys.exit(1)


if __name__ == "__main__":
    main()
