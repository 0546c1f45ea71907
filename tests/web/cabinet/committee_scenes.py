"""The committee workplace as its tests drive it: a draft referred to the budget committee, its people able to
sign in, and posting the workplace's forms with their CSRF token."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.site import Site, password_hash, token
from workflow.council.committees import meetings
from workflow.council.drafts import drafts
from workflow.engine.models import Document


def referred(site: Site) -> tuple[Document, Document]:
    """A published draft sent to the budget committee (lead) and the education committee (advisory) on day 1;
    every committee person may sign in. Returns the draft and the budget committee's conclusion."""
    world = site.world
    for person in world.deputies[:7]:
        person.password_hash = password_hash()
    draft = world.published_draft()
    lead, _advisory = drafts.send_to_committees(
        site.session, draft, world.actor(world.secretary, 1), world.budget, [world.education], now=world.at(1)
    )
    site.commit()
    return draft, lead


def planned(site: Site, conclusion: Document, *, opened: bool = True) -> Document:
    """The budget committee's meeting on day 2 with the conclusion on its agenda (opened unless asked not to)."""
    world = site.world
    chair = world.actor(world.deputies[0], 1)
    meeting = meetings.plan_meeting(
        site.session, chair, world.budget, starts_at=world.at(2), place="Кімната 12", now=world.at(1)
    )
    meetings.add_paper(site.session, meeting, chair, conclusion, now=world.at(1))
    if opened:
        meetings.open_meeting(site.session, meeting, chair, now=world.at(2))
    site.commit()
    return meeting


def post(client: FlaskClient, path: str, data: dict[str, str | list[str]] | None = None) -> TestResponse:
    return client.post(path, data={"csrf_token": token(client), **(data or {})})


def meeting_path(meeting: Document, action: str = "") -> str:
    return f"/cabinet/committee-meetings/{meeting.id}" + (f"/{action}" if action else "")
