"""A sitting the deputies' pages are read from: session № 12 held on day 16 with two votes on drafts."""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import World
from tests.web.site import Site
from workflow.council.sittings import sessions
from workflow.engine.models import Document


@dataclass
class Sitting:
    plenary: Document
    roof: Document
    street: Document


def hold_sitting(site: Site) -> Sitting:
    """Deputies 0..6 and the mayor register, deputy 7 does not; the agenda is approved by all present; the roof
    is adopted (deputies 0..5 for, 6 against, the mayor abstains); the street is rejected (deputies 0..2 for, 3..6
    and the mayor against)."""
    world: World = site.world
    session = site.session
    roof = world.reviewed_draft("Про ремонт даху ліцею № 2")
    street = world.reviewed_draft("Про перейменування вулиці Садової")
    plenary = world.planned_session(number=12, days=16)
    secretary = world.actor(world.secretary, 5)
    roof_item = sessions.add_to_agenda(session, plenary, secretary, roof, now=world.at(5))
    street_item = sessions.add_to_agenda(session, plenary, secretary, street, now=world.at(5))
    world.open(plenary, days=16, present=7)
    secretary = world.actor(world.secretary, 16)
    sessions.register(session, plenary, secretary, world.mayor, now=world.at(16))
    present = [*world.deputies[:7], world.mayor]
    sessions.approve_agenda(session, plenary, secretary, {m.id: "for" for m in present}, now=world.at(16))
    d = world.deputies
    roof_ballots = {**{p.id: "for" for p in d[:6]}, d[6].id: "against", world.mayor.id: "abstain"}
    sessions.vote_on_item(session, plenary, secretary, roof_item, roof_ballots, now=world.at(16))
    street_ballots = {**{p.id: "for" for p in d[:3]}, **{p.id: "against" for p in [*d[3:7], world.mayor]}}
    sessions.vote_on_item(session, plenary, secretary, street_item, street_ballots, now=world.at(16))
    site.commit()
    return Sitting(plenary, roof, street)
