"""Two administrators (or two tabs) at once, committing for real from two threads on a database of the test's own:
one link used twice, one mayor granted twice, one role ended twice. Exactly one wins each time, the other is told
why, and nothing is written twice. PostgreSQL: both read first, then the row lock orders their writes; SQLite:
its write lock queues the two transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import run_in_threads
from workflow.council.accounts import mandates, resets
from workflow.council.accounts.models import AccountEvent
from workflow.council.organisation import setup
from workflow.db import make_engine, make_sessionmaker
from workflow.errors import InvalidInput
from workflow.people import Person, RoleGrant, load_actor
from workflow.timeutil import utcnow

TIMEOUT = 30


@pytest.fixture
def sessions(committed_db) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(committed_db.url, pool_size=5)
    try:
        yield make_sessionmaker(engine, committed_db.registry)
    finally:
        engine.dispose()


@pytest.fixture
def council(sessions) -> dict[str, int]:
    with sessions() as session, session.begin():
        setup.create_council(session, name="Славутицька міська рада", convocation=8, total_composition=9)
        admin = setup.add_person(session, "Дмитро Мартинюк", email="admin@rada.example", roles=["admin"])
        staff = setup.add_person(session, "Оксана Мельник", email="staff@rada.example", password="старий-пароль-1")
        deputy = setup.add_person(session, "Василь Гончаренко", roles=["deputy"])
        other = setup.add_person(session, "Ганна Кравець", roles=["deputy"])
        return {"admin": admin.id, "staff": staff.id, "deputy": deputy.id, "other": other.id}


def race(sessions, job: Callable[[Session], object]) -> list[object]:
    """`job` in two threads at once, each in a transaction of its own, committed when it returns."""
    start = threading.Barrier(2, timeout=TIMEOUT)

    def one() -> object:
        with sessions() as session, session.begin():
            start.wait()
            job(session)
            return "won"

    return run_in_threads([one, one], timeout=TIMEOUT)


def refusals(outcomes: list[object]) -> list[str]:
    return sorted(getattr(o, "code", "won") if isinstance(o, InvalidInput) else str(o) for o in outcomes)


def test_one_link_sent_from_two_tabs_at_once_sets_the_password_once(sessions, council):
    with sessions() as session, session.begin():
        admin = load_actor(session, council["admin"])
        reset, secret = resets.send_reset(session, admin, session.get(Person, council["staff"]), now=utcnow())

    outcomes = race(
        sessions, lambda s: resets.set_password_by_link(s, reset.id, secret, "новий-пароль-42", now=utcnow())
    )

    assert refusals(outcomes) == [resets.LINK_USED, "won"]
    with sessions() as session:
        assert session.get(Person, council["staff"]).session_epoch == 1
        sets = select(func.count()).select_from(AccountEvent).where(AccountEvent.what == "password_set")
        assert session.scalar(sets) == 1


def test_two_administrators_making_two_mayors_at_once_make_one(sessions, council):
    def make_mayor(session: Session, who: str) -> None:
        admin = load_actor(session, council["admin"])
        now = utcnow()
        mandates.grant_role(session, admin, session.get(Person, council[who]), "mayor", starts_at=now, now=now)

    start = threading.Barrier(2, timeout=TIMEOUT)

    def job(who: str) -> Callable[[], object]:
        def run() -> object:
            with sessions() as session, session.begin():
                start.wait()
                make_mayor(session, who)
                return "won"

        return run

    outcomes = run_in_threads([job("deputy"), job("other")], timeout=TIMEOUT)

    assert refusals(outcomes) == ["mandates.one_holder", "won"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RoleGrant).where(RoleGrant.role == "mayor")) == 1


def test_one_role_ended_from_two_tabs_at_once_is_ended_once(sessions, council):
    with sessions() as session:
        (grant_id,) = session.scalars(select(RoleGrant.id).where(RoleGrant.person_id == council["deputy"]))

    def end(session: Session) -> None:
        admin = load_actor(session, council["admin"])
        mandates.end_role(session, admin, session.get(RoleGrant, grant_id), reason="склав мандат", now=utcnow())

    outcomes = race(sessions, end)

    assert refusals(outcomes) == ["mandates.end_set_already", "won"]
    with sessions() as session:
        ends = select(func.count()).select_from(AccountEvent).where(AccountEvent.what == "role_ended")
        assert session.scalar(ends) == 1
