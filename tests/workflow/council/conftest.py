"""Councils of other sizes than the shared `world`, and on other sessions than the rolled-back one."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from tests.conftest import World
from workflow.council import setup
from workflow.people import Person

DEPUTY_NAMES = (
    "Василь Гончаренко", "Ганна Кравець", "Олег Руденко", "Марія Савчук",
    "Ігор Петренко", "Наталія Зінченко", "Андрій Мороз", "Юлія Поліщук",
)


def build_world(session: Session, *, deputies: int = 8, number_pattern: str | None = None) -> World:
    """The shared `world`'s council with `deputies` deputies (7 at least: the committees take seven) and the
    mayor, so a total composition of `deputies` + 1; on any session, e.g. one that commits."""
    assert deputies >= 7, "the budget and education committees take seven deputies"

    def person(name: str, *roles: str) -> Person:
        return setup.add_person(session, name, email=f"{uuid.uuid4().hex[:10]}@rada.example", roles=roles)

    extra = {} if number_pattern is None else {"number_pattern": number_pattern}
    council = setup.create_council(
        session, name="Славутицька міська рада", convocation=8, total_composition=deputies + 1, **extra
    )
    mayor = person("Микола Бондар", "mayor")
    names = [*DEPUTY_NAMES, *(f"Депутат № {i}" for i in range(len(DEPUTY_NAMES) + 1, deputies + 1))]
    members = [person(name, "deputy") for name in names[:deputies]]
    lawyer, accountant = person("Ірина Ткаченко"), person("Андрій Лисенко")
    return World(
        session=session, council=council, mayor=mayor, secretary=person("Тарас Коваль", "secretary"),
        staff=person("Оксана Мельник", "staff"), deputies=members, lawyer=lawyer, accountant=accountant,
        legal=setup.add_department(session, council, "Юридичний відділ", "legal", reviewers=[lawyer]),
        finance=setup.add_department(session, council, "Фінансове управління", "finance", reviewers=[accountant]),
        budget=setup.add_committee(session, council, "З питань бюджету", chair=members[0], secretary=members[1],
                                   members=members[2:4]),
        education=setup.add_committee(session, council, "З питань освіти", chair=members[4],
                                      members=members[5:7]),
    )


@pytest.fixture
def big_world(session: Session) -> World:
    """A council of 26 deputies and the mayor: a total composition of 27."""
    return build_world(session, deputies=26)
