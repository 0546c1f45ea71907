"""A committee meeting set up for the tests: the budget committee (chair, secretary, two members) meets about a
draft referred to it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tests.conftest import World
from workflow.council.committees import conclusions, meetings
from workflow.council.drafts import drafts
from workflow.engine.models import Document
from workflow.people import Actor


@dataclass
class Meeting:
    world: World
    session: Session
    draft: Document
    conclusion: Document
    meeting: Document

    @property
    def chair(self) -> Actor:
        return self.world.actor(self.world.deputies[0], 2)

    @property
    def secretary(self) -> Actor:
        return self.world.actor(self.world.deputies[1], 2)

    @property
    def members(self) -> list[int]:
        return [person.id for person in self.world.deputies[:4]]

    def attend(self, count: int = 4) -> None:
        meetings.record_attendance_of(
            self.session, self.meeting, self.secretary, self.members[:count], now=self.world.at(2.1)
        )

    def write(self, recommendation: str = "support", body: str = "Підтримати проєкт рішення.") -> None:
        conclusions.write_conclusion(
            self.session,
            self.conclusion,
            self.chair,
            recommendation=recommendation,
            body=body,
            now=self.world.at(2.05),
        )


def referred_and_meeting(session: Session, world: World, *, opened: bool = True) -> Meeting:
    """A published draft sent to the budget committee on day 1; the committee's meeting on day 2 with the
    conclusion on its agenda (opened, unless asked otherwise)."""
    draft = world.published_draft()
    (conclusion,) = drafts.send_to_committees(
        session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1)
    )
    chair = world.actor(world.deputies[0], 1)
    meeting = meetings.plan_meeting(
        session, chair, world.budget, starts_at=world.at(2), place="Кімната 12", now=world.at(1)
    )
    meetings.add_paper(session, meeting, chair, conclusion, now=world.at(1))
    if opened:
        meetings.open_meeting(session, meeting, chair, now=world.at(2))
    return Meeting(world, session, draft, conclusion, meeting)
