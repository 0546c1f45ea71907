"""One session of the council played through the engine alone, as a story in acts.

Three drafts go from their first text to the session: the roof repair (by the staff; the lawyer returns it with
remarks, it is corrected; adopted, signed, numbered, published), the street's new name (by a deputy; rejected)
and the bus fares (by a deputy; adopted, vetoed by the mayor, the veto overridden by two thirds at the second
try, numbered, published). A fourth draft, published one working day too late, is refused a place on the agenda.
The sitting is closed and its protocol checked, signed by its chair and published. Every state, audit entry and
outbox effect is checked as the story goes, and every refused step is shown to change nothing.

The calendar (world.at(0) is Monday 2 March 2026, 09:00 UTC; Kyiv is two hours ahead):

    day  0  Mon  2 Mar  the drafts written and submitted for visas
    day  1  Tue  3 Mar  the lawyer returns the roof draft; the other two get their visas and are published
    day  2  Wed  4 Mar  the roof draft corrected, resubmitted, given its visas and published
    day  3  Thu  5 Mar  session № 12 planned; the drafts sent to committees; one conclusion sent back
    day  4  Fri  6 Mar  that conclusion signed after a second vote; the latecomer published
    day  7  Mon  9 Mar  the agenda built (the latecomer refused); the session convened, exactly ten days ahead
    day 17  Thu 19 Mar  the sitting: quorum, the agenda approved, three votes
    day 20  Mon 23 Mar  the mayor signs one decision and vetoes another; the first number given at the signing
    day 21  Tue 24 Mar  the signed decision published
    day 24  Fri 27 Mar  the sitting continues: the veto overridden at the second try; the sitting closed
    day 27  Mon 30 Mar  the last decision published; the protocol checked, signed and published
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from workflow.council.drafts import drafts
from workflow.council.effects import HANDLERS
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Attendance, Ballot, Decision, Vote
from workflow.council.sittings.votes import ballots_of, hold_committee_vote, hold_vote
from workflow.engine import edit_document, fire
from workflow.engine.audit import RECORD, replay, verify_log
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.engine.outbox import carry_out
from workflow.errors import GuardFailed, InvalidInput, NotAllowed
from workflow.people import Actor, Person
from workflow.timeutil import as_utc


# --- the effects a move records, as the definitions write them ------------------------------------------------
def notify(template: str, *roles: str) -> tuple[str, dict[str, Any]]:
    return "notify", {"roles": list(roles), "template": template}


def render(template: str) -> tuple[str, dict[str, Any]]:
    return "render_docx", {"template": template}


def row(
    document: Document, version: int, index: int, effect: tuple[str, dict[str, Any]], status: str = "pending"
) -> tuple[str, str, dict[str, Any], str]:
    """An outbox row as `outbox()` lists it: its idempotency key (document:version:index), effect, params, status."""
    return f"{document.id}:{version}:{index}", *effect, status


def test_one_session_from_the_first_drafts_to_the_published_protocol(session, world, registry, unchanged):
    goncharenko, kravets, rudenko, savchuk, petrenko, zinchenko, moroz, polishchuk = world.deputies
    # budget committee: Гончаренко chairs, Кравець is its secretary, Руденко and Савчук sit in it;
    # education committee: Петренко chairs, Зінченко and Мороз sit in it
    staff, secretary, mayor = world.actor(world.staff), world.actor(world.secretary), world.actor(world.mayor)
    lawyer, accountant = world.actor(world.lawyer), world.actor(world.accountant)
    who = {
        None: "system",
        world.staff.id: "staff",
        world.secretary.id: "secretary",
        world.mayor.id: "mayor",
        world.lawyer.id: "lawyer",
        world.accountant.id: "accountant",
        goncharenko.id: "goncharenko",
        kravets.id: "kravets",
        rudenko.id: "rudenko",
        savchuk.id: "savchuk",
        petrenko.id: "petrenko",
        zinchenko.id: "zinchenko",
        moroz.id: "moroz",
        polishchuk.id: "polishchuk",
    }

    def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
        return world.at(day) + timedelta(hours=hour - 9, minutes=minute)

    def as_(person: Person) -> Actor:
        return world.actor(person)

    def trail(document: Document) -> list[tuple[str, str | None, str, str]]:
        """The document's audit log: (trigger, from, to, who) for every entry, oldest first, but the records under
        its chain (votes, registrations, its number: see `records`)."""
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.document_id == document.id, AuditEntry.trigger != RECORD)
            .order_by(AuditEntry.version)
        )
        return [(e.trigger, e.from_state, e.to_state, who[e.actor_id]) for e in entries]

    def records(document: Document) -> list[tuple[int, str]]:
        """The records written under the document's chain: (version, kind)."""
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.document_id == document.id, AuditEntry.trigger == RECORD)
            .order_by(AuditEntry.version)
        )
        return [(e.version, e.data["record"]) for e in entries]

    def entry(document: Document, version: int) -> AuditEntry:
        return session.scalars(
            select(AuditEntry).where(AuditEntry.document_id == document.id, AuditEntry.version == version)
        ).one()

    def outbox(document: Document, version: int | None = None) -> list[tuple[str, str, dict[str, Any], str]]:
        """The document's outbox rows (of one move, if `version` is given), in the order they were written."""
        query = select(OutboxRow).where(OutboxRow.document_id == document.id).order_by(OutboxRow.id)
        if version is not None:
            query = query.where(OutboxRow.audit_version == version)
        return [(r.idempotency_key, r.effect, r.params, r.status) for r in session.scalars(query)]

    def states(*documents: Document) -> list[str]:
        return [d.state for d in documents]

    def roll_call(vote: Vote) -> dict[str, str]:
        """Each council member's choice in the vote."""
        return {who[person.id]: choice for person, choice in ballots_of(session, vote)}

    def ballots(
        *, for_: Sequence[Person] = (), against: Sequence[Person] = (), abstain: Sequence[Person] = ()
    ) -> dict[int, str]:
        chosen = (("for", for_), ("against", against), ("abstain", abstain))
        return {person.id: choice for choice, people in chosen for person in people}

    def counted() -> list[int | None]:
        """Votes, ballots and registrations: what `unchanged` does not look at, for refused votes."""
        return [session.scalar(select(func.count()).select_from(table)) for table in (Vote, Ballot, Attendance)]

    def give_visas(visas: list[Document], day: int, hour: int) -> None:
        for visa in visas:
            reviewer = lawyer if visa.fields["department_kind"] == "legal" else accountant
            fire(session, visa, "give", reviewer, now=at(day, hour))

    def conclude(
        conclusion: Document, chair: Person, recorder: Person, members: Sequence[Person], *, day: int, hour: int
    ) -> Vote:
        """The committee writes its conclusion, votes on it with its `members` present, and records it."""
        edit_document(
            session,
            conclusion,
            as_(chair),
            fields={"recommendation": "support", "body": "Підтримати."},
            now=at(day, hour),
        )
        vote = hold_committee_vote(
            session,
            conclusion,
            as_(recorder),
            question=f"Висновок: {conclusion.title}",
            ballots={m.id: "for" for m in members},
            now=at(day, hour, 30),
        )
        fire(session, conclusion, "discuss", as_(recorder), now=at(day, hour, 40))
        return vote

    # ============================================================================================================
    # Act 1 (day 0). Three drafts are written and submitted: each asks the legal and the finance departments
    # for a visa, and the reviewers are told.
    # ============================================================================================================
    roof = drafts.write_draft(
        session, staff, "Про ремонт даху ліцею № 2", "Виділити 1,2 млн грн на ремонт даху.", now=at(0)
    )
    street = drafts.write_draft(
        session,
        as_(polishchuk),
        "Про перейменування вулиці Гагаріна",
        "Перейменувати вулицю Гагаріна на вулицю Героїв Чорнобиля.",
        now=at(0, 10),
    )
    fares = drafts.write_draft(
        session,
        as_(rudenko),
        "Про зниження вартості проїзду в міських автобусах",
        "Встановити вартість проїзду 8 грн.",
        now=at(0, 11),
    )
    roof_visas = drafts.submit_draft(session, roof, staff, now=at(0, 12))
    street_visas = drafts.submit_draft(session, street, as_(polishchuk), now=at(0, 12))
    fares_visas = drafts.submit_draft(session, fares, as_(rudenko), now=at(0, 12))

    assert states(roof, street, fares) == ["visas"] * 3
    for draft, visas in ((roof, roof_visas), (street, street_visas), (fares, fares_visas)):
        assert [(v.title, v.fields["department_kind"], v.state) for v in visas] == [
            ("Юридичний відділ", "legal", "requested"),
            ("Фінансове управління", "finance", "requested"),
        ]
        assert outbox(draft) == [row(draft, 2, 0, notify("visa_requested", "reviewer"))]
        # the law's clock: five working days for the visas, three for each department
        assert as_utc(draft.due_at) == at(7, 12)
        assert {as_utc(v.due_at) for v in visas} == {at(3, 12)}
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, roof, "publish_for_discussion", secretary, now=at(0, 13))
    assert refused.value.message == "'Publish for discussion' is not possible now: 2 of 2 visas are still awaited"

    # ============================================================================================================
    # Act 2 (day 1). The finance department gives its visa on the roof draft; the lawyer returns hers with
    # remarks, and the return sends the draft back in the same move, with her remarks. The other drafts get their
    # visas and are published for discussion.
    # ============================================================================================================
    legal_visa, finance_visa = roof_visas
    fire(session, finance_visa, "give", accountant, now=at(1, 10))
    with unchanged(), pytest.raises(InvalidInput) as refused:
        fire(session, legal_visa, "return", lawyer, comment="  ", now=at(1, 14))
    assert refused.value.message == "'Return with remarks' needs a comment saying why"
    fire(session, legal_visa, "return", lawyer, comment="Не зазначено джерело фінансування", now=at(1, 14))
    # the draft moves in the return's own transaction: no outbox row waits for a worker to move it
    assert (legal_visa.state, roof.state) == ("returned", "drafting")
    assert outbox(legal_visa) == []
    returned = entry(roof, 3)
    assert (returned.trigger, returned.actor_id, returned.comment, returned.data) == (
        "return_for_revision",
        None,
        "Юридичний відділ: Не зазначено джерело фінансування",
        {"because_of": legal_visa.id},
    )
    assert outbox(roof, 3) == [row(roof, 3, 0, notify("draft_returned", "author"))]

    give_visas(street_visas, 1, 10)
    give_visas(fares_visas, 1, 11)
    fire(session, street, "publish_for_discussion", as_(polishchuk), now=at(1, 12))
    fire(session, fares, "publish_for_discussion", secretary, now=at(1, 12))
    assert states(street, fares, *street_visas, *fares_visas) == ["public_discussion"] * 2 + ["given"] * 4
    assert outbox(street, 3) == [row(street, 3, 0, notify("draft_published", "author"))]
    assert outbox(fares, 3) == [row(fares, 3, 0, notify("draft_published", "author"))]

    # ============================================================================================================
    # Act 3 (day 2). The author corrects the roof draft (the finance visa, given to the old text, loses its force)
    # and submits it again; both departments give new visas and the secretary publishes it.
    # ============================================================================================================
    corrected = "Виділити 1,2 млн грн на ремонт даху з резервного фонду бюджету громади."
    assert drafts.edit_draft(session, roof, staff, body=corrected, now=at(2, 9)) == 1
    assert (roof.fields["body"], legal_visa.state, finance_visa.state) == (corrected, "returned", "invalidated")
    new_visas = drafts.submit_draft(session, roof, staff, now=at(2, 10))
    new_legal, new_finance = new_visas
    fire(session, new_legal, "give", lawyer, now=at(2, 12))
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, roof, "publish_for_discussion", secretary, now=at(2, 13))
    assert refused.value.message == "'Publish for discussion' is not possible now: 1 of 2 visas are still awaited"
    fire(session, new_finance, "give", accountant, now=at(2, 14))
    fire(session, roof, "publish_for_discussion", secretary, now=at(2, 15))

    assert states(roof, new_legal, new_finance) == ["public_discussion", "given", "given"]
    assert trail(legal_visa) == [("create", None, "requested", "system"), ("return", "requested", "returned", "lawyer")]
    assert trail(finance_visa) == [
        ("create", None, "requested", "system"),
        ("give", "requested", "given", "accountant"),
        ("invalidate", "given", "invalidated", "system"),
    ]
    assert entry(finance_visa, 3).comment == "the text of the draft was changed"
    assert trail(new_legal) == [("create", None, "requested", "system"), ("give", "requested", "given", "lawyer")]
    assert outbox(roof, 5) == [row(roof, 5, 0, notify("visa_requested", "reviewer"))]
    assert outbox(roof, 6) == [row(roof, 6, 0, notify("draft_published", "author"))]

    # ============================================================================================================
    # Act 4 (day 3). The secretary plans session № 12 for 19 March; convening it is refused while its agenda is
    # empty. The drafts go to their committees; the budget committee concludes on the roof and the fares (its
    # secretary records the fares' vote), the education committee on the street. The education committee also
    # concludes on the roof, but its chair sends that conclusion back for the cost estimate, so the roof draft
    # cannot go on the agenda yet.
    # ============================================================================================================
    plenary = sessions.plan_session(
        session, secretary, number=12, starts_at=at(17), place="Сесійна зала, пл. Свободи, 1", now=at(3, 8)
    )
    assert (plenary.title, plenary.state) == ("12 сесія 8 скликання", "planned")
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, plenary, "convene", secretary, now=at(3, 8, 30))
    assert refused.value.message == "'Convene' is not possible now: the agenda is empty"

    roof_budget, roof_education = drafts.send_to_committees(
        session, roof, secretary, world.budget, [world.education], now=at(3, 9)
    )
    (street_education,) = drafts.send_to_committees(session, street, secretary, world.education, now=at(3, 9))
    (fares_budget,) = drafts.send_to_committees(session, fares, secretary, world.budget, now=at(3, 9))
    assert states(roof, street, fares) == ["committee_review"] * 3
    assert [(c.title, c.fields["lead"], c.state) for c in (roof_budget, roof_education)] == [
        ("З питань бюджету", True, "prepared"),
        ("З питань освіти", False, "prepared"),
    ]
    assert entry(roof, 7).data == {"lead_committee_id": world.budget.id}
    assert outbox(roof, 7) == [row(roof, 7, 0, notify("draft_assigned_to_committee", "committee_member"))]

    budget_members = (goncharenko, kravets, rudenko, savchuk)
    education_members = (petrenko, zinchenko, moroz)
    budget_vote = conclude(roof_budget, goncharenko, goncharenko, budget_members, day=3, hour=10)
    assert (budget_vote.result, budget_vote.votes_for, budget_vote.required) == ("adopted", 4, 3)
    fire(session, roof_budget, "sign", as_(goncharenko), now=at(3, 11))
    conclude(fares_budget, goncharenko, kravets, budget_members, day=3, hour=11)
    fire(session, fares_budget, "sign", as_(goncharenko), now=at(3, 12))
    conclude(street_education, petrenko, petrenko, education_members, day=3, hour=13)
    fire(session, street_education, "sign", as_(petrenko), now=at(3, 14))
    for conclusion in (roof_budget, fares_budget, street_education):
        assert conclusion.state == "signed"
        # created, edited, its vote recorded, discussed, signed
        assert records(conclusion) == [(3, "vote")]
        assert outbox(conclusion) == [
            row(conclusion, 5, 0, render("committee_conclusion")),
            row(conclusion, 5, 1, notify("conclusion_signed", "secretary")),
        ]

    conclude(roof_education, petrenko, petrenko, education_members, day=3, hour=15)
    fire(session, roof_education, "send_back", as_(petrenko), comment="Додати розрахунок вартості робіт", now=at(3, 16))
    assert roof_education.state == "prepared"
    with unchanged(), pytest.raises(GuardFailed) as refused:
        sessions.add_to_agenda(session, plenary, secretary, roof, now=at(3, 17))
    assert refused.value.message == (
        "'Put on the agenda' is not possible now: 1 of 2 committee conclusions are not signed yet"
    )

    # ============================================================================================================
    # Act 5 (day 4). A member adds the estimate, the education committee votes again (Мороз is away, the
    # quorum of two holds) and its chair signs. Another draft of the staff is published for discussion today.
    # ============================================================================================================
    edit_document(
        session,
        roof_education,
        as_(zinchenko),
        fields={"body": "Підтримати проєкт рішення. Кошторис робіт — 1,2 млн грн."},
        now=at(4, 10),
    )
    second = hold_committee_vote(
        session,
        roof_education,
        as_(petrenko),
        question="Висновок (повторно)",
        ballots={petrenko.id: "for", zinchenko.id: "for", moroz.id: "absent"},
        now=at(4, 11),
    )
    assert (second.result, second.registered, second.votes_for, second.absent) == ("adopted", 2, 2, 1)
    fire(session, roof_education, "discuss", as_(petrenko), now=at(4, 11, 30))
    fire(session, roof_education, "sign", as_(petrenko), now=at(4, 12))
    assert trail(roof_education) == [
        ("create", None, "prepared", "system"),
        ("edit", "prepared", "prepared", "petrenko"),
        ("discuss", "prepared", "discussed", "petrenko"),
        ("send_back", "discussed", "prepared", "petrenko"),
        ("edit", "prepared", "prepared", "zinchenko"),
        ("discuss", "prepared", "discussed", "petrenko"),
        ("sign", "discussed", "signed", "petrenko"),
    ]
    assert records(roof_education) == [(3, "vote"), (7, "vote")]
    assert entry(roof_education, 5).comment == "Додати розрахунок вартості робіт"
    assert outbox(roof_education) == [
        row(roof_education, 9, 0, render("committee_conclusion")),
        row(roof_education, 9, 1, notify("conclusion_signed", "secretary")),
    ]
    assert trail(fares_budget)[2:] == [
        ("discuss", "prepared", "discussed", "kravets"),
        ("sign", "discussed", "signed", "goncharenko"),
    ]

    # published on Friday 6 March, reviewed by the budget committee on day 5
    latecomer = world.reviewed_draft("Про надання дозволу на розроблення детального плану території", days=4)
    assert latecomer.state == "committee_review"

    # ============================================================================================================
    # Act 6 (day 7). The secretary builds the agenda. The latecomer was published 9 working days before the
    # session, one short of the law's 10, and is refused with the dates that decided it. The session is convened
    # on the last day the law allows: ten days ahead.
    # ============================================================================================================
    items = [
        sessions.add_to_agenda(session, plenary, secretary, draft, now=at(7, 9)) for draft in (roof, street, fares)
    ]
    with unchanged(), pytest.raises(GuardFailed) as refused:
        sessions.add_to_agenda(session, plenary, secretary, latecomer, now=at(7, 9, 30))
    assert refused.value.message == (
        "'Put on the agenda' is not possible now: published on 6 March 2026, the session is on 19 March 2026: "
        "9 working days, the rule asks for 10"
    )
    assert latecomer.state == "committee_review"
    roof_item, street_item, fares_item = items
    agenda = sessions.agenda(session, plenary)
    assert [(item.position, item.draft_id, document.title, document.state) for item, document in agenda] == [
        (1, roof.id, roof.title, "proposed"),
        (2, street.id, street.title, "proposed"),
        (3, fares.id, fares.title, "proposed"),
    ]
    assert [document.id for _, document in agenda] == [item.id for item in items]
    assert states(roof, street, fares) == ["on_agenda"] * 3
    assert entry(roof, 8).data == {"session_id": plenary.id}

    fire(session, plenary, "convene", secretary, now=at(7, 12))
    assert plenary.state == "convened"
    assert outbox(plenary) == [
        row(plenary, 2, 0, notify("session_convened", "deputy", "mayor")),
        row(plenary, 2, 1, render("agenda")),
    ]

    # ============================================================================================================
    # Act 7 (days 16 and 17). The sitting does not open the day before. On the day the mayor opens it. With four
    # members registered the agenda cannot be voted: no quorum, nothing written. Four more register (Мороз is
    # away); the agenda is approved; the roof is adopted by a majority of the total composition, the street
    # gets four votes of nine and is rejected, and the fares are adopted with exactly five. The sitting cannot
    # close while an item has no outcome.
    # ============================================================================================================
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, plenary, "open", mayor, now=at(16, 9))
    assert refused.value.message == "'Open the sitting' is not possible now: the session is on 19 March 2026"
    fire(session, plenary, "open", mayor, now=at(17, 9))
    assert plenary.state == "in_progress"

    for person in (goncharenko, kravets, rudenko, savchuk):
        sessions.register(session, plenary, secretary, person, now=at(17, 9, 5))
    before = counted()
    with unchanged(), pytest.raises(GuardFailed) as refused:
        sessions.approve_agenda(
            session, plenary, secretary, ballots(for_=(goncharenko, kravets, rudenko, savchuk)), now=at(17, 9, 10)
        )
    assert refused.value.message == "no quorum: 4 of 9 members are registered, at least 5 are needed"
    assert counted() == before
    assert states(*[doc for _, doc in sessions.agenda(session, plenary)]) == ["proposed"] * 3

    for person in (petrenko, zinchenko, polishchuk, world.mayor):
        sessions.register(session, plenary, secretary, person, now=at(17, 9, 15))
    present = (goncharenko, kravets, rudenko, savchuk, petrenko, zinchenko, polishchuk, world.mayor)
    agenda_vote = sessions.approve_agenda(session, plenary, secretary, ballots(for_=present), now=at(17, 9, 20))
    assert (agenda_vote.result, agenda_vote.registered, agenda_vote.votes_for, agenda_vote.absent) == (
        "adopted",
        8,
        8,
        1,
    )
    assert states(*items) == ["included"] * 3
    assert entry(roof_item, 2).data == {"vote_id": agenda_vote.id}

    roof_vote = sessions.vote_on_item(
        session,
        plenary,
        secretary,
        roof_item,
        ballots(
            for_=(goncharenko, kravets, rudenko, savchuk, petrenko, world.mayor),
            against=(polishchuk,),
            abstain=(zinchenko,),
        ),
        now=at(17, 10),
    )
    assert roof_vote.reason == (
        "adopted: 6 for, 1 against, 1 abstained, 0 did not vote, 1 absent; "
        "more than half of the total composition of 9 is 5 votes for"
    )
    assert roll_call(roof_vote) == {
        "goncharenko": "for",
        "kravets": "for",
        "rudenko": "for",
        "savchuk": "for",
        "petrenko": "for",
        "mayor": "for",
        "polishchuk": "against",
        "zinchenko": "abstain",
        "moroz": "absent",
    }
    assert (roof_item.state, roof.state) == ("adopted", "adopted")
    assert outbox(roof, 9) == [row(roof, 9, 0, notify("decision_adopted", "mayor", "author"))]

    street_vote = sessions.vote_on_item(
        session,
        plenary,
        secretary,
        street_item,
        ballots(
            for_=(polishchuk, zinchenko, petrenko, rudenko), against=(goncharenko, world.mayor), abstain=(savchuk,)
        ),  # Кравець is registered and does not vote
        now=at(17, 11),
    )
    assert street_vote.reason == (
        "not adopted: 4 for, 2 against, 1 abstained, 1 did not vote, 1 absent; "
        "more than half of the total composition of 9 is 5 votes for"
    )
    assert roll_call(street_vote) == {
        "polishchuk": "for",
        "zinchenko": "for",
        "petrenko": "for",
        "rudenko": "for",
        "goncharenko": "against",
        "mayor": "against",
        "savchuk": "abstain",
        "kravets": "not_voted",
        "moroz": "absent",
    }
    assert (street_item.state, street.state) == ("rejected", "rejected")
    assert outbox(street, 6) == [row(street, 6, 0, notify("decision_rejected", "author"))]

    with unchanged(), pytest.raises(GuardFailed) as refused:
        sessions.close_session(session, plenary, secretary, now=at(17, 11, 30))
    assert refused.value.message == "'Close the sitting' is not possible now: 1 agenda items have no outcome yet"

    fares_for = (goncharenko, kravets, rudenko, savchuk, zinchenko)
    fares_vote = sessions.vote_on_item(
        session,
        plenary,
        secretary,
        fares_item,
        ballots(for_=fares_for, against=(world.mayor, petrenko, polishchuk)),
        now=at(17, 12),
    )
    assert (fares_vote.result, fares_vote.votes_for, fares_vote.required) == ("adopted", 5, 5)
    assert (fares_item.state, fares.state) == ("adopted", "adopted")
    assert as_utc(fares.due_at) == at(22, 12)  # the mayor has five days to veto
    assert [
        (v.purpose, v.subject_id, v.result)
        for v in session.scalars(select(Vote).where(Vote.session_id == plenary.id).order_by(Vote.id))
    ] == [
        ("approve_agenda", plenary.id, "adopted"),
        ("decision", roof_item.id, "adopted"),
        ("decision", street_item.id, "rejected"),
        ("decision", fares_item.id, "adopted"),
    ]
    assert trail(roof_item) == [
        ("create", None, "proposed", "secretary"),
        ("include", "proposed", "included", "secretary"),
        ("consider", "included", "considering", "secretary"),
        ("adopt", "considering", "adopted", "system"),
    ]
    assert trail(street_item)[-1] == ("reject", "considering", "rejected", "system")

    # ============================================================================================================
    # Act 8 (day 20). The mayor signs the roof decision, which asks for its number, and vetoes the fares with
    # his reasons. The signing gives the roof decision the first number of the convocation's decisions.
    # ============================================================================================================
    fire(session, roof, "sign", mayor, now=at(20, 10))
    assert roof.state == "signed"
    assert outbox(roof, 10) == [
        row(roof, 10, 0, render("decision")),
        row(roof, 10, 1, notify("decision_signed", "secretary", "author")),
    ]
    with unchanged(), pytest.raises(InvalidInput) as refused:
        fire(session, fares, "veto", mayor, now=at(20, 11))
    assert refused.value.message == "'Veto' needs a comment saying why"
    veto_reasons = "Зниження тарифу не має джерела покриття у бюджеті громади (ст. 85 Бюджетного кодексу)"
    fire(session, fares, "veto", mayor, comment=veto_reasons, now=at(20, 11))
    assert fares.state == "vetoed"
    assert as_utc(fares.due_at) == at(34, 11)  # the council reconsiders within two weeks
    assert outbox(fares, 7) == [row(fares, 7, 0, notify("decision_vetoed", "secretary", "author", "deputy"))]

    roof_decision = session.scalars(select(Decision).where(Decision.draft_id == roof.id)).one()
    assert (roof_decision.official_number, roof_decision.number, roof_decision.adopted_on) == (
        "№ 1-12-VIII",
        1,
        date(2026, 3, 19),
    )
    assert as_utc(roof_decision.numbered_at) == at(20, 10)  # numbered when it was signed

    # ============================================================================================================
    # Act 9 (day 21). The secretary publishes the signed roof decision.
    # ============================================================================================================
    fire(session, roof, "publish", secretary, now=at(21, 10))
    assert roof.state == "published"
    assert records(roof) == [(11, "decision")]  # the number, under the decision's chain, after the signing
    assert outbox(roof, 12) == [row(roof, 12, 0, notify("decision_published", "author", "deputy"))]

    # ============================================================================================================
    # Act 10 (day 24). The sitting continues. Five votes of nine to override the veto are a majority but not two
    # thirds: the veto stands. Мороз arrives, Петренко changes his mind, the council decides to vote again, seven
    # vote to override, and the
    # secretary records the override, which signs the decision and asks for its number. The sitting closes and
    # its protocol is drawn up.
    # ============================================================================================================
    question = f"Про подолання вето на рішення «{fares.title}»"
    short = hold_vote(
        session,
        plenary,
        secretary,
        purpose="veto_override",
        subject=fares,
        threshold="two_thirds",
        question=question,
        ballots=ballots(for_=fares_for, against=(world.mayor, petrenko, polishchuk)),
        now=at(24, 10),
    )
    assert short.reason == (
        "not adopted: 5 for, 3 against, 0 abstained, 0 did not vote, 1 absent; "
        "two thirds of the total composition of 9 is 6 votes for"
    )
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, fares, "override_veto", secretary, now=at(24, 10, 5))
    assert refused.value.message == f"'Override the veto' is not possible now: the vote was rejected: {short.reason}"
    assert fares.state == "vetoed"

    sessions.register(session, plenary, secretary, moroz, now=at(24, 10, 30))
    # the question was voted on: a second vote needs the council's decision to vote again, and both stay on record
    before = counted()
    with unchanged(), pytest.raises(GuardFailed) as refused:
        hold_vote(
            session,
            plenary,
            secretary,
            purpose="veto_override",
            subject=fares,
            threshold="two_thirds",
            question=question,
            ballots=ballots(for_=fares_for),
            now=at(24, 10, 45),
        )
    assert "the council has already voted on this question" in refused.value.message
    assert counted() == before
    again = hold_vote(
        session,
        plenary,
        secretary,
        purpose="revote",
        subject=fares,
        question=f"Про повторне голосування щодо подолання вето на рішення «{fares.title}»",
        ballots=ballots(for_=(*fares_for, moroz, petrenko)),
        now=at(24, 10, 50),
    )
    assert again.result == "adopted"
    enough = hold_vote(
        session,
        plenary,
        secretary,
        purpose="veto_override",
        subject=fares,
        threshold="two_thirds",
        question=question,
        ballots=ballots(for_=(*fares_for, moroz, petrenko), against=(world.mayor, polishchuk)),
        now=at(24, 11),
    )
    assert enough.reason == (
        "adopted: 7 for, 2 against, 0 abstained, 0 did not vote, 0 absent; "
        "two thirds of the total composition of 9 is 6 votes for"
    )
    assert roll_call(enough)["moroz"] == "for"
    fire(session, fares, "override_veto", secretary, now=at(24, 11, 5))
    assert fares.state == "signed"
    assert outbox(fares, 8) == [
        row(fares, 8, 0, render("decision")),
        row(fares, 8, 1, notify("veto_overridden", "mayor", "author")),
    ]
    fares_decision = session.scalars(select(Decision).where(Decision.draft_id == fares.id)).one()
    assert (fares_decision.official_number, fares_decision.number, fares_decision.adopted_on) == (
        "№ 2-12-VIII",
        2,
        date(2026, 3, 19),
    )

    protocol = sessions.close_session(session, plenary, secretary, now=at(24, 13))
    assert (plenary.state, protocol.state, protocol.parent_id, protocol.title) == (
        "closed",
        "drafted",
        plenary.id,
        "Протокол: 12 сесія 8 скликання",
    )
    # every registration and every vote of the sitting is a record under the session's chain, before its close
    closing = plenary.version
    kinds = Counter(kind for _version, kind in records(plenary))
    sitting_votes = select(func.count()).select_from(Vote).where(Vote.session_id == plenary.id)
    assert kinds == {
        "attendance": session.scalar(select(func.count()).select_from(Attendance)),
        "vote": session.scalar(sitting_votes),
    }
    assert closing == 4 + sum(kinds.values())  # created, convened, opened, closed, and its records
    assert outbox(plenary, closing) == [row(plenary, closing, 0, notify("session_closed", "deputy", "mayor"))]

    # ============================================================================================================
    # Act 11 (day 27). The fares decision is published. The secretary checks the protocol (its document is
    # rendered), cannot sign it himself, the mayor who chaired the sitting signs, and the secretary publishes it.
    # ============================================================================================================
    fire(session, fares, "publish", secretary, now=at(27, 10))
    fire(session, protocol, "check", secretary, now=at(27, 11))
    with unchanged(), pytest.raises(NotAllowed) as refused:
        fire(session, protocol, "sign", secretary, now=at(27, 11, 30))
    assert refused.value.message == "'Sign the protocol' can be done only by: session_chair"
    fire(session, protocol, "sign", mayor, now=at(27, 12))
    fire(session, protocol, "publish", secretary, now=at(27, 13))
    assert trail(protocol) == [
        ("create", None, "drafted", "system"),
        ("check", "drafted", "checked", "secretary"),
        ("sign", "checked", "signed", "mayor"),
        ("publish", "signed", "published", "secretary"),
    ]
    assert outbox(protocol) == [
        row(protocol, 2, 0, render("protocol")),
        row(protocol, 3, 0, notify("protocol_signed", "secretary")),
        row(protocol, 4, 0, notify("protocol_published", "deputy")),
    ]

    # ============================================================================================================
    # Epilogue. Where everything ended, the whole history of each draft, what the outbox holds, and the audit
    # log: every chain verifies and every document's log replays to its state.
    # ============================================================================================================
    assert states(roof, street, fares, latecomer) == ["published", "rejected", "published", "committee_review"]
    assert states(*items) == ["adopted", "rejected", "adopted"]
    assert (plenary.state, protocol.state) == ("closed", "published")
    assert trail(roof) == [
        ("create", None, "drafting", "staff"),
        ("submit", "drafting", "visas", "staff"),
        ("return_for_revision", "visas", "drafting", "system"),
        ("edit", "drafting", "drafting", "staff"),
        ("submit", "drafting", "visas", "staff"),
        ("publish_for_discussion", "visas", "public_discussion", "secretary"),
        ("send_to_committees", "public_discussion", "committee_review", "secretary"),
        ("put_on_agenda", "committee_review", "on_agenda", "secretary"),
        ("adopt", "on_agenda", "adopted", "system"),
        ("sign", "adopted", "signed", "mayor"),
        ("publish", "signed", "published", "secretary"),
    ]
    assert trail(street) == [
        ("create", None, "drafting", "polishchuk"),
        ("submit", "drafting", "visas", "polishchuk"),
        ("publish_for_discussion", "visas", "public_discussion", "polishchuk"),
        ("send_to_committees", "public_discussion", "committee_review", "secretary"),
        ("put_on_agenda", "committee_review", "on_agenda", "secretary"),
        ("reject", "on_agenda", "rejected", "system"),
    ]
    assert trail(fares) == [
        ("create", None, "drafting", "rudenko"),
        ("submit", "drafting", "visas", "rudenko"),
        ("publish_for_discussion", "visas", "public_discussion", "secretary"),
        ("send_to_committees", "public_discussion", "committee_review", "secretary"),
        ("put_on_agenda", "committee_review", "on_agenda", "secretary"),
        ("adopt", "on_agenda", "adopted", "system"),
        ("veto", "adopted", "vetoed", "mayor"),
        ("override_veto", "vetoed", "signed", "secretary"),
        ("publish", "signed", "published", "secretary"),
    ]
    assert (entry(fares, 6).data, entry(fares, 7).comment) == ({"vote_id": fares_vote.id}, veto_reasons)
    assert trail(latecomer) == [
        ("create", None, "drafting", "staff"),
        ("submit", "drafting", "visas", "staff"),
        ("publish_for_discussion", "visas", "public_discussion", "secretary"),
        ("send_to_committees", "public_discussion", "committee_review", "secretary"),
    ]
    assert trail(plenary) == [
        ("create", None, "planned", "secretary"),
        ("convene", "planned", "convened", "secretary"),
        ("open", "convened", "in_progress", "mayor"),
        ("close", "in_progress", "closed", "secretary"),
    ]

    assert outbox(roof) == [
        row(roof, 2, 0, notify("visa_requested", "reviewer")),
        row(roof, 3, 0, notify("draft_returned", "author")),
        row(roof, 5, 0, notify("visa_requested", "reviewer")),
        row(roof, 6, 0, notify("draft_published", "author")),
        row(roof, 7, 0, notify("draft_assigned_to_committee", "committee_member")),
        row(roof, 9, 0, notify("decision_adopted", "mayor", "author")),
        row(roof, 10, 0, render("decision")),
        row(roof, 10, 1, notify("decision_signed", "secretary", "author")),
        row(roof, 12, 0, notify("decision_published", "author", "deputy")),
    ]
    assert outbox(fares) == [
        row(fares, 2, 0, notify("visa_requested", "reviewer")),
        row(fares, 3, 0, notify("draft_published", "author")),
        row(fares, 4, 0, notify("draft_assigned_to_committee", "committee_member")),
        row(fares, 6, 0, notify("decision_adopted", "mayor", "author")),
        row(fares, 7, 0, notify("decision_vetoed", "secretary", "author", "deputy")),
        row(fares, 8, 0, render("decision")),
        row(fares, 8, 1, notify("veto_overridden", "mayor", "author")),
        row(fares, 10, 0, notify("decision_published", "author", "deputy")),
    ]
    # the council's own consequences left no outbox row; notifications and documents wait for the tasks
    assert Counter((r.effect, r.status) for r in session.scalars(select(OutboxRow))) == {
        ("notify", "pending"): 31,
        ("render_docx", "pending"): 9,
    }
    assert carry_out(session, HANDLERS, now=at(30)) == (0, 0)
    assert [d.official_number for d in session.scalars(select(Decision).order_by(Decision.number))] == [
        "№ 1-12-VIII",
        "№ 2-12-VIII",
    ]

    documents = session.scalars(select(Document).order_by(Document.id)).all()
    assert Counter(d.kind for d in documents) == {
        "decision_draft": 4,
        "visa": 10,
        "committee_conclusion": 5,
        "session": 1,
        "agenda_item": 3,
        "session_protocol": 1,
    }
    checked_documents, checked_entries, problem = verify_log(session)
    assert problem is None
    assert checked_documents == len(documents)
    assert checked_entries == session.scalar(select(func.count()).select_from(AuditEntry))
    for document in session.scalars(select(Document).order_by(Document.id)):
        machine = {document.definition_version: registry.get(document.kind, document.definition_version)}
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
        ).all()
        assert replay(machine, entries) == document.state, document
