"""A council's record as the portal's tests read it: a closed session with its votes, decision, protocol and
extract; a session convened for later; sessions the public must not see; and a draft still internal."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.docx import render_extract
from tests.web.site import Site
from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.engine import fire
from workflow.engine.models import Document

#: a remark on the internal draft's visa: it must never reach a public page
REMARK = "Потрібне погодження з управлінням ЖКГ"
INTERNAL_TITLE = "Про внутрішній проєкт без віз"


@dataclass
class Record:
    held: Document
    item: Document
    draft: Document
    protocol: Document
    convened: Document
    convened_item: Document
    cancelled: Document
    never_announced: Document
    planned: Document
    internal: Document
    discussed: Document


def council_record(site: Site) -> Record:
    """Day 16 (18 March 2026): session № 12 held, the roof draft adopted (6 for, 2 against, 1 abstained), signed
    and numbered, the protocol published and the item's extract rendered. Session № 13 convened for day 37 (8
    April) with the school draft; № 14 convened and then cancelled; № 15 planned and cancelled before it was
    convened; № 16 only planned. A draft returned with a remark, and one in public discussion since day 30."""
    world, session = site.world, site.session
    secretary = world.actor(world.secretary, 5)
    draft = world.reviewed_draft("Про ремонт даху ліцею № 2", days=0)
    held = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, held, secretary, draft, now=world.at(5))
    world.open(held, days=16, present=8)  # the mayor is not registered
    sitting = world.actor(world.secretary, 16)
    sessions.approve_agenda(session, held, sitting, world.ballots(for_=8, absent=1), now=world.at(16))
    sessions.vote_on_item(
        session, held, sitting, item, world.ballots(for_=6, against=2, abstain=0, absent=1), now=world.at(16.1)
    )
    protocol = sessions.close_session(session, held, sitting, now=world.at(16.3))
    fire(session, draft, "sign", world.actor(world.mayor, 17), now=world.at(17))
    fire(session, protocol, "check", world.actor(world.secretary, 18), now=world.at(18))
    fire(session, protocol, "sign", world.actor(world.mayor, 18), now=world.at(18.1))
    fire(session, protocol, "publish", world.actor(world.secretary, 18), now=world.at(18.2))
    render_extract(session, item, world.actor(world.secretary, 18), world.at(18.3))

    school = world.reviewed_draft("Про облаштування шкільного стадіону", days=20)
    convened = world.planned_session(number=13, days=37)
    convened_item = sessions.add_to_agenda(
        session, convened, world.actor(world.secretary, 26), school, now=world.at(26)
    )
    fire(session, convened, "convene", world.actor(world.secretary, 27), now=world.at(27))

    cancelled = world.planned_session(number=14, days=44)
    dummy = world.reviewed_draft("Про перейменування вулиці Садової", days=21)
    sessions.add_to_agenda(session, cancelled, world.actor(world.secretary, 33), dummy, now=world.at(33))
    fire(session, cancelled, "convene", world.actor(world.secretary, 33), now=world.at(33))
    sessions.cancel_session(session, cancelled, world.actor(world.secretary, 34), "Карантин", now=world.at(34))

    never_announced = world.planned_session(number=15, days=50)
    sessions.cancel_session(session, never_announced, world.actor(world.secretary, 40), "Не потрібна", now=world.at(40))
    planned = world.planned_session(number=16, days=58)

    author = world.actor(world.staff, 30)
    internal = drafts.write_draft(session, author, INTERNAL_TITLE, "Внутрішній текст.", now=world.at(30))
    (legal, *_rest) = [
        v
        for v in drafts.submit_draft(session, internal, author, now=world.at(30))
        if v.fields["department_kind"] == "legal"
    ]
    fire(session, legal, "return", world.actor(world.lawyer, 30), comment=REMARK, now=world.at(30))
    discussed = world.published_draft("Про програму озеленення міста", days=30)
    site.commit()
    return Record(
        held, item, draft, protocol, convened, convened_item, cancelled, never_announced, planned, internal, discussed
    )
