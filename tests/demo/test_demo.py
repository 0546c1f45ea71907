"""The demo council (`radaflow seed demo`): complete, built through the engine with the law's dates, loaded once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, func, select

from demo import demo_data
from demo.demo import CouncilExists, DemoSummary, seed_demo
from tests.conftest import SharedDatabase, connection_to, reading, savepoint_sessions, shared_database
from workflow.council.organisation import setup
from workflow.council.organisation.models import Committee, Department
from workflow.council.organisation.queries import committee_members, council_members
from workflow.council.sittings import sessions
from workflow.council.sittings.models import AgendaItem, Attendance, Ballot, Decision, PlenarySession, Vote
from workflow.engine.audit import verify_log
from workflow.engine.models import AuditEntry, Document
from workflow.errors import Conflict
from workflow.i18n import local_date
from workflow.people import Person, RoleGrant

#: a Monday; the demo's past sessions fall in February, the next one at the end of March
TODAY = date(2026, 3, 16)
NOW = datetime.combine(TODAY, time(12), tzinfo=UTC)
COMMITTEE_SUBJECTS = (
    "з питань бюджету та фінансів",
    "з питань освіти, культури, молоді та спорту",
    "з питань житлово-комунального господарства",
    "з питань земельних відносин та містобудування",
    "з питань регламенту, депутатської етики та законності",
)


#: argon2 at its smallest costs: the same hashing and checking, in a millisecond instead of half a second
QUICK_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    monkeypatch.setattr("workflow.people._hasher", QUICK_ARGON2)


@pytest.fixture(scope="session")
def seeded(engine, registry, migrated_databases, tmp_path_factory) -> Iterator[tuple[SharedDatabase, DemoSummary]]:
    """The demo seeded once per worker on each kind of database, as `radaflow seed demo` seeds it on TODAY:
    seeding is seconds of work, which the tests that read the demo share."""

    def seed(connection) -> DemoSummary:
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr("workflow.people._hasher", QUICK_ARGON2)
            session = savepoint_sessions(connection, registry)()
            summary = seed_demo(session, today=TODAY)
            session.commit()
            session.close()
            return summary

    with shared_database(engine, registry, migrated_databases, tmp_path_factory.mktemp("demo"), seed) as seeded:
        yield seeded


@pytest.fixture
def connection(request, engine) -> Iterator[Connection]:
    """A test that reads the demo (asks for `demo`) works on the seeded database, inside a transaction rolled back
    after it; any other on the suite's database, as everywhere."""
    reads_demo = "demo" in request.fixturenames
    with reading(request.getfixturevalue("seeded")[0]) if reads_demo else connection_to(engine) as connection:
        yield connection


@pytest.fixture
def demo(seeded) -> DemoSummary:
    return seeded[1]


def documents(session, kind: str, state: str | None = None) -> list[Document]:
    query = select(Document).where(Document.kind == kind).order_by(Document.id)
    if state is not None:
        query = query.where(Document.state == state)
    return list(session.scalars(query))


def triggers(session, document: Document) -> list[str]:
    """The document's moves in order (the records written under its chain, such as its number, aside)."""
    return list(
        session.scalars(
            select(AuditEntry.trigger)
            .where(AuditEntry.document_id == document.id, AuditEntry.trigger != "record")
            .order_by(AuditEntry.version)
        )
    )


def holders(session, role: str, scope_id: int | None = None) -> set[int]:
    query = select(RoleGrant.person_id).where(RoleGrant.role == role)
    if scope_id is not None:
        query = query.where(RoleGrant.scope_id == scope_id)
    return set(session.scalars(query))


def plenaries(session) -> list[tuple[PlenarySession, Document]]:
    rows = session.execute(
        select(PlenarySession, Document)
        .join(Document, Document.id == PlenarySession.document_id)
        .order_by(PlenarySession.starts_at)
    ).all()
    return [(detail, document) for detail, document in rows]


# --- the council and its people ---------------------------------------------------------------------------------
def test_the_council_has_26_deputies_and_the_mayor_5_committees_with_one_chair_each_and_2_departments(session, demo):
    members = council_members(session, NOW)
    assert len(members) == 27 == demo.members
    assert len(holders(session, "deputy")) == 26
    assert len(holders(session, "mayor")) == 1
    assert len(holders(session, "secretary")) == 1
    assert holders(session, "secretary") <= holders(session, "deputy"), "the secretary is elected among deputies"

    committees = list(session.scalars(select(Committee).order_by(Committee.id)))
    assert len(committees) == 5 == demo.committees
    for committee, subject in zip(committees, COMMITTEE_SUBJECTS, strict=True):
        assert subject in committee.name
        (chair,) = holders(session, "committee_chair", committee.id)
        assert chair in members
        assert len(committee_members(session, committee.id, NOW)) == 5

    departments = list(session.scalars(select(Department).order_by(Department.id)))
    assert sorted(d.kind for d in departments) == ["finance", "legal"]
    for department in departments:
        assert holders(session, "reviewer", department.id)
    for role in ("staff", "citizen", "admin"):
        assert holders(session, role), f"nobody is {role}"


def test_every_demo_person_signs_in_with_the_documented_password_and_the_audit_log_holds(session, demo):
    assert len(demo.accounts) == session.scalar(select(func.count(Person.id)))
    checked: dict[tuple[str, str], bool] = {}
    for account in demo.accounts:
        person = session.scalar(select(Person).where(Person.email == account.email))
        assert person is not None, account.email
        assert account.email.endswith("@rada.example")
        assert account.password == f"demo-{account.role}"
        assert person.password_hash.startswith("$argon2")
        key = (person.password_hash, account.password)
        if key not in checked:  # the same hash and password check the same way: argon2 is slow on purpose
            checked[key] = setup.check_password(person, account.password)
            assert not setup.check_password(person, account.password + "!")
        assert checked[key], f"{account.email} does not sign in with {account.password}"

    featured = {account.password for account in demo.featured}
    assert featured == {
        f"demo-{role}"
        for role in ("secretary", "mayor", "chair", "deputy", "legal", "finance", "staff", "citizen", "admin")
    }
    assert {(a.email, a.password) for a in demo.featured} <= {(a.email, a.password) for a in demo.accounts}
    for account in demo.featured:
        person = session.scalar(select(Person).where(Person.email == account.email))
        assert setup.check_password(person, account.password), account

    documents_checked, entries, problem = verify_log(session)
    assert problem is None, str(problem)
    assert documents_checked >= 90
    assert entries >= 300


# --- sessions, votes, decisions ------------------------------------------------------------------------------------
def test_two_past_sessions_were_held_with_roll_calls_numbered_decisions_a_veto_and_its_override(session, demo):
    (first, first_doc), (second, second_doc), (upcoming, upcoming_doc) = plenaries(session)
    assert [first_doc.state, second_doc.state] == ["closed", "closed"]
    assert upcoming_doc.state == "convened"
    for past in (first, second):
        assert TODAY - timedelta(days=62) <= local_date(past.starts_at) < TODAY
    assert TODAY + timedelta(days=10) <= local_date(upcoming.starts_at) <= TODAY + timedelta(days=21)
    assert [s[0] for s in demo.sessions] == [first.number, second.number, upcoming.number]

    members = set(council_members(session, NOW))
    for document in (first_doc, second_doc):
        present = set(session.scalars(select(Attendance.person_id).where(Attendance.session_id == document.id)))
        assert 14 <= len(present) < 27, "a quorum, and a few absent"
        (protocol,) = [d for d in documents(session, "session_protocol") if d.parent_id == document.id]
        assert protocol.state == "published"
        votes = list(session.scalars(select(Vote).where(Vote.session_id == document.id)))
        assert votes[0].purpose == "approve_agenda"
        assert votes[0].result == "adopted"
        for vote in votes:
            ballots = dict(
                session.execute(select(Ballot.person_id, Ballot.choice).where(Ballot.vote_id == vote.id)).all()
            )
            assert set(ballots) == members, "every member has a ballot in every roll call"
            assert {p for p, c in ballots.items() if c == "absent"} == members - present
        results = Counter(v.result for v in votes if v.purpose == "decision")
        assert results["adopted"] >= 3
        assert results["rejected"] >= 1

    choices = Counter(session.scalars(select(Ballot.choice)))
    assert all(choices[c] > 0 for c in ("for", "against", "abstain", "not_voted", "absent"))
    for vote in session.scalars(select(Vote).where(Vote.committee_id.is_not(None))):
        ballots = set(session.scalars(select(Ballot.person_id).where(Ballot.vote_id == vote.id)))
        assert ballots == set(committee_members(session, vote.committee_id, NOW))

    decisions = list(session.scalars(select(Decision).order_by(Decision.number)))
    assert len(decisions) == demo.decisions >= 6
    assert len({d.official_number for d in decisions}) == len(decisions)
    assert [d.number for d in decisions] == list(range(decisions[0].number, decisions[0].number + len(decisions)))
    mayor = holders(session, "mayor")
    for decision in decisions:
        draft = session.get(Document, decision.draft_id)
        assert draft.state in ("published", "in_force")
        assert decision.session_number in (first.number, second.number)
        signer = session.scalar(
            select(AuditEntry.actor_id).where(
                AuditEntry.document_id == draft.id, AuditEntry.trigger.in_(("sign", "override_veto"))
            )
        )
        assert signer is not None

    (overridden,) = [d for d in documents(session, "decision_draft") if "veto" in triggers(session, d)]
    assert triggers(session, overridden)[-3:-1] == ["veto", "override_veto"]
    veto_by = session.scalar(
        select(AuditEntry.actor_id).where(AuditEntry.document_id == overridden.id, AuditEntry.trigger == "veto")
    )
    assert veto_by in mayor
    override = session.scalar(select(Vote).where(Vote.subject_id == overridden.id, Vote.purpose == "veto_override"))
    assert (override.session_id, override.threshold, override.result) == (second_doc.id, "two_thirds", "adopted")
    assert override.votes_for >= 18
    signed = [d for d in documents(session, "decision_draft") if "sign" in triggers(session, d)]
    assert all(
        session.scalar(select(AuditEntry.actor_id).where(AuditEntry.document_id == d.id, AuditEntry.trigger == "sign"))
        in mayor
        for d in signed
    )


def test_drafts_stand_in_every_stage_on_their_way_to_the_upcoming_session(session, demo):
    states = Counter(d.state for d in documents(session, "decision_draft"))
    for state in ("drafting", "visas", "public_discussion", "committee_review", "on_agenda", "rejected"):
        assert states[state] >= 1, f"no draft is {state}"
    assert states["published"] + states["in_force"] == demo.decisions
    assert sum(states.values()) == demo.drafts

    returned = [
        d
        for d in documents(session, "decision_draft", "drafting")
        if any(v.state == "returned" for v in documents(session, "visa") if v.parent_id == d.id)
    ]
    assert len(returned) == 1
    assert "return_for_revision" in triggers(session, returned[0])
    (waiting,) = documents(session, "decision_draft", "visas")
    assert {v.state for v in documents(session, "visa") if v.parent_id == waiting.id} == {"given", "requested"}

    sent_back = [c for c in documents(session, "committee_conclusion") if "send_back" in triggers(session, c)]
    assert len(sent_back) == 1
    assert sent_back[0].state == "signed"
    assert triggers(session, sent_back[0]).count("discuss") == 2
    assert session.get(Document, sent_back[0].parent_id).state == "committee_review"

    ((_, upcoming),) = [(p, d) for p, d in plenaries(session) if d.state == "convened"]
    on_agenda = {d.id for d in documents(session, "decision_draft", "on_agenda")}
    assert {item.draft_id for item, _ in sessions.agenda(session, upcoming)} == on_agenda
    postponed_before = session.scalar(
        select(func.count(AgendaItem.document_id))
        .join(Document, Document.id == AgendaItem.document_id)
        .where(AgendaItem.draft_id.in_(on_agenda), Document.state == "postponed")
    )
    assert postponed_before == 1, "a draft postponed at the last session is on the next one's agenda"

    messages = documents(session, "citizen_message")
    assert len(messages) == demo.messages == 3
    deputies = holders(session, "deputy")
    assert all(m.fields["deputy_id"] in deputies and m.fields["text"] for m in messages)
    assert {m.state for m in messages} == {"sent", "delivered", "answered_publicly"}


# --- loaded once -----------------------------------------------------------------------------------------------------
def test_seeding_twice_is_refused_and_changes_nothing(session, demo, unchanged):
    people = session.scalar(select(func.count(Person.id)))

    with unchanged(), pytest.raises(CouncilExists, match="already has a council"):
        seed_demo(session, today=TODAY + timedelta(days=1))

    assert session.scalar(select(func.count(Person.id))) == people


def test_a_council_set_up_otherwise_is_never_seeded_over(session, world, unchanged):
    with unchanged(), pytest.raises(CouncilExists, match="Славутицька міська рада"):
        seed_demo(session, today=TODAY)


def test_a_taken_demo_e_mail_is_refused_before_anything_is_written(session, unchanged):
    setup.add_person(session, "Хтось Інший", email=f"{demo_data.SECRETARY}@rada.example")
    people = session.scalar(select(func.count(Person.id)))

    with unchanged(), pytest.raises(Conflict, match="already belong"):
        seed_demo(session, today=TODAY)

    assert session.scalar(select(func.count(Person.id))) == people


def test_the_dates_follow_today_across_a_new_year(session):
    summary = seed_demo(session, today=date(2027, 1, 4))

    past, later, upcoming = summary.sessions
    assert (past[1].year, later[1].year, upcoming[1].year) == (2026, 2026, 2027)
    assert upcoming[2] == "convened"
    assert verify_log(session)[2] is None
