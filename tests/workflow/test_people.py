"""A person's account: a new password (their own, or set by an administrator) and deactivation end every
session of the person; who may do either, and what is refused, changing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from workflow.council.organisation import setup
from workflow.errors import InvalidInput, NotAllowed
from workflow.people import (
    Person,
    change_password,
    check_password,
    deactivate_person,
    end_sessions,
    load_actor,
    may_sign_in,
)

OLD = "старий-довгий-пароль"


def account(session: Session, name: str = "Ірина Ткаченко", *roles: str) -> Person:
    return setup.add_person(session, name, email=f"{name.split()[0].lower()}@rada.example", password=OLD, roles=roles)


def state(session: Session, person: Person) -> tuple[str | None, int, object]:
    session.expire(person)
    return person.password_hash, person.session_epoch, person.deactivated_at


def test_signing_out_everywhere_moves_the_epoch_on_each_time(session):
    person = account(session)

    assert person.session_epoch == 0
    assert [end_sessions(session, person), end_sessions(session, person)] == [1, 2]


def test_a_person_changes_their_own_password_and_their_sessions_end(session):
    person = account(session)

    change_password(session, load_actor(session, person.id), person, "новий-довгий-пароль", current_password=OLD)

    assert check_password(person, "новий-довгий-пароль")
    assert not check_password(person, OLD)
    assert person.session_epoch == 1


def test_an_administrator_sets_someone_s_password_without_knowing_the_old_one(session):
    person = account(session)
    admin = account(session, "Дмитро Мартинюк", "admin")

    change_password(session, load_actor(session, admin.id), person, "виданий-адміністратором")

    assert check_password(person, "виданий-адміністратором")
    assert person.session_epoch == 1


@pytest.mark.parametrize(
    ("who", "new", "current", "error", "says"),
    [
        ("self", "новий-довгий-пароль", "не той", NotAllowed, "the current password is not right"),
        ("self", "новий-довгий-пароль", None, NotAllowed, "the current password is not right"),
        ("someone else", "новий-довгий-пароль", OLD, NotAllowed, "only the person themself or an administrator"),
        ("self", "короткий", OLD, InvalidInput, "a password has from 10 to 1000 characters (this one has 8)"),
        ("self", "д" * 1001, OLD, InvalidInput, "(this one has 1001)"),
    ],
    ids=["wrong-current", "no-current", "not-an-admin", "too-short", "too-long"],
)
def test_a_refused_password_change_changes_nothing(session, who, new, current, error, says):
    person = account(session)
    other = account(session, "Андрій Лисенко", "secretary")
    actor = load_actor(session, (person if who == "self" else other).id)
    before = state(session, person)

    with pytest.raises(error, match=says.replace("(", r"\(").replace(")", r"\)")):
        change_password(session, actor, person, new, current_password=current)

    assert state(session, person) == before


def test_an_administrator_deactivates_an_account_and_its_sessions_end(session):
    person = account(session)
    admin = account(session, "Дмитро Мартинюк", "admin")

    deactivate_person(session, load_actor(session, admin.id), person)

    assert person.deactivated_at is not None
    assert person.session_epoch == 1
    assert not may_sign_in(person)
    assert person.password_hash is not None  # kept: the account is closed, not rewritten


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("secretary", "only an administrator may deactivate an account"),
        ("themself", "an administrator cannot deactivate their own account"),
        ("twice", "is deactivated already"),
    ],
)
def test_a_refused_deactivation_changes_nothing(session, who, says):
    person = account(session, "Ірина Ткаченко", *(["admin"] if who == "themself" else []))
    secretary = account(session, "Андрій Лисенко", "secretary")
    admin = account(session, "Дмитро Мартинюк", "admin")
    actor = {"secretary": secretary, "themself": person, "twice": admin}[who]
    if who == "twice":
        deactivate_person(session, load_actor(session, admin.id), person)
    before = state(session, person)

    with pytest.raises((NotAllowed, InvalidInput), match=says):
        deactivate_person(session, load_actor(session, actor.id), person)

    assert state(session, person) == before


def test_a_deactivated_account_gets_no_new_password(session):
    person = account(session)
    admin = account(session, "Дмитро Мартинюк", "admin")
    deactivate_person(session, load_actor(session, admin.id), person)
    before = state(session, person)

    with pytest.raises(InvalidInput, match="account is deactivated"):
        change_password(session, load_actor(session, admin.id), person, "новий-довгий-пароль")

    assert state(session, person) == before
