"""Notifications: who a move tells, in which language and with what, once; e-mail now or in the daily digest;
the cabinet's read/unread list."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import tasks.messages
from tasks.messages import MissingTemplate, local_moment, render, template_names
from tasks.notify import notify_handler, queue_digests, tell
from tests.conftest import DEFINITIONS, World
from workflow.config import Settings
from workflow.council.delegation.delegation import delegate_role, revoke_delegation
from workflow.council.drafts import drafts
from workflow.council.drafts.amendments import committee_opinion, propose_amendment
from workflow.council.effects import HANDLERS
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.council.sittings import sessions
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import fire
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import carry_out
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.notifications import inbox
from workflow.notifications.models import Notification, OutgoingMail
from workflow.people import Person

BASE_URL = "https://rada.slavutych.example"
TITLE = "Про ремонт даху ліцею № 2"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url="sqlite://",
        redis_url=None,
        secret_key="test",
        definitions_dir=DEFINITIONS,
        instance_dir=tmp_path,
        base_url=BASE_URL,
        mail_from="Славутицька міська рада <rada@slavutych.example>",
    )


def carry_out_all(session: Session, settings: Settings, now: object) -> None:
    """The dispatcher, as often as it takes: effects that move other documents record effects of their own."""
    handlers = {**HANDLERS, "notify": notify_handler(settings)}
    while carry_out(session, handlers, now=now) != (0, 0):  # type: ignore[arg-type]
        pass


def told(session: Session, template: str | None = None) -> dict[int, Notification]:
    query = select(Notification).order_by(Notification.id)
    if template is not None:
        query = query.where(Notification.template == template)
    return {n.person_id: n for n in session.scalars(query)}


def mails(session: Session) -> dict[int | None, OutgoingMail]:
    return {m.person_id: m for m in session.scalars(select(OutgoingMail).order_by(OutgoingMail.id))}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def submitted_draft(world: World, days: float = 0) -> Document:
    author = world.actor(world.staff, days)
    draft = drafts.write_draft(world.session, author, TITLE, "Виділити 1,2 млн грн на ремонт.", now=world.at(days))
    drafts.submit_draft(world.session, draft, author, now=world.at(days))
    return draft


# --- who is told ---------------------------------------------------------------------------------------------
def test_a_submitted_draft_asks_the_legal_and_finance_reviewers_each_in_their_language(
    session: Session, world: World, settings: Settings
) -> None:
    world.accountant.locale = "en"
    # a reviewer of another department and a former legal reviewer are not asked for this visa
    setup.add_department(
        session,
        world.council,
        "Відділ освіти",
        "other",
        reviewers=[setup.add_person(session, "Петро Шевчук", email="p@rada.example")],
    )
    former = setup.add_person(session, "Леся Гуменюк", email="l@rada.example")
    setup.grant(session, former, "reviewer", scope_id=world.legal.id, ends_at=world.at(-1))
    draft = submitted_draft(world)

    carry_out_all(session, settings, world.at(0.01))

    notifications = told(session)
    assert set(notifications) == {world.lawyer.id, world.accountant.id}
    legal, finance = notifications[world.lawyer.id], notifications[world.accountant.id]
    assert legal.template == finance.template == "visa_requested"
    assert legal.subject == f"Проєкт рішення чекає на вашу візу: «{TITLE}»"
    assert finance.subject == f"A draft decision awaits your visa: “{TITLE}”"
    link = f"{BASE_URL}/documents/{draft.id}"
    for notification in (legal, finance):
        assert notification.link == link
        assert link in notification.body
        assert TITLE in notification.body
        assert "Оксана Мельник" in notification.body  # who submitted it
        assert notification.read_at is None
    assert "Добрий день, Ірина Ткаченко!" in legal.body
    assert "Документ: Проєкт рішення" in legal.body
    assert "завізуйте проєкт або поверніть його із зауваженнями" in legal.body
    assert "Dear Андрій Лисенко," in finance.body
    assert "Document: Draft decision" in finance.body
    assert "give your visa or return the draft with remarks" in finance.body
    # the stage has a deadline of 5 working days: Monday 2 March + 5 = Monday 9 March, 11:00 Kyiv time
    assert "Строк: до 09.03.2026 11:00 (за київським часом)" in legal.body
    assert "Due: by 09.03.2026 11:00 (Kyiv time)" in finance.body
    # each of them gets it by e-mail at once too, in the same words
    queued = mails(session)
    assert set(queued) == {world.lawyer.id, world.accountant.id}
    assert queued[world.lawyer.id].key == f"notification:{legal.id}"
    assert queued[world.lawyer.id].to_address == world.lawyer.email
    assert queued[world.lawyer.id].subject == legal.subject
    assert queued[world.lawyer.id].body == legal.body
    assert queued[world.lawyer.id].message_id == f"<radaflow.notification.{legal.id}@slavutych.example>"
    assert queued[world.lawyer.id].status == "pending"


def test_a_reviewer_delegated_for_the_period_is_asked_and_one_whose_period_ended_is_not(
    session: Session, world: World, settings: Settings
) -> None:
    acting = setup.add_person(session, "Світлана Бойко", email="s@rada.example")
    delegate_role(
        session,
        world.actor(world.lawyer),
        acting,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(0),
        ends_at=world.at(10),
        reason="відпустка юриста",
        now=world.at(0),
    )
    first = submitted_draft(world, days=1)
    carry_out_all(session, settings, world.at(1.01))
    assert acting.id in told(session)

    second = drafts.write_draft(session, world.actor(world.staff, 12), "Про інший ремонт", "Текст.", now=world.at(12))
    drafts.submit_draft(session, second, world.actor(world.staff, 12), now=world.at(12))
    carry_out_all(session, settings, world.at(12.01))
    asked_later = {
        n.person_id for n in session.scalars(select(Notification).where(Notification.document_id == second.id))
    }
    assert asked_later == {world.lawyer.id, world.accountant.id}
    assert first.id != second.id


def test_a_draft_sent_to_a_committee_tells_that_committees_people_only(
    session: Session, world: World, settings: Settings
) -> None:
    draft = world.published_draft(TITLE)
    carry_out_all(session, settings, world.at(0.01))
    drafts.send_to_committees(session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1))

    carry_out_all(session, settings, world.at(1.01))

    assigned = told(session, "draft_assigned_to_committee")
    # the budget committee: its chair, its secretary and its two members; not the education committee
    assert set(assigned) == {p.id for p in world.deputies[:4]}
    message = assigned[world.deputies[2].id]
    assert message.subject == f"Проєкт рішення направлено до вашої комісії: «{TITLE}»"
    assert "Хто: Тарас Коваль" in message.body
    assert "Етап: Розгляд у комісіях" in message.body


def test_a_role_held_per_committee_reaches_the_committee_the_document_names(
    session: Session, world: World, settings: Settings
) -> None:
    draft = world.published_draft(TITLE)
    budget, education = drafts.send_to_committees(
        session, draft, world.actor(world.secretary, 1), world.budget, [world.education], now=world.at(1)
    )
    tell(
        session,
        settings,
        education,
        roles=["committee_member"],
        template="deadline_reminder",
        key="members",
        now=world.at(2),
    )
    tell(
        session,
        settings,
        budget,
        roles=["committee_chair", "reviewer"],
        template="deadline_reminder",
        key="chair",
        now=world.at(2),
    )

    members = {n.person_id for n in session.scalars(select(Notification).where(Notification.key.like("members:%")))}
    assert members == {p.id for p in world.deputies[4:7]}  # the education committee's chair and members
    chair = {n.person_id for n in session.scalars(select(Notification).where(Notification.key.like("chair:%")))}
    # the budget committee's chair; a conclusion names no department, so every reviewer
    assert chair == {world.deputies[0].id, world.lawyer.id, world.accountant.id}


def test_a_returned_draft_tells_its_author_with_the_reviewers_remarks(
    session: Session, world: World, settings: Settings
) -> None:
    draft = submitted_draft(world)
    carry_out_all(session, settings, world.at(0.01))
    legal_visa = next(v for v in drafts.children(session, draft, "visa") if v.fields["department_kind"] == "legal")
    fire(
        session,
        legal_visa,
        "return",
        world.actor(world.lawyer, 1),
        comment="Немає фінансово-економічного обґрунтування",
        now=world.at(1),
    )

    carry_out_all(session, settings, world.at(1.01))

    returned = told(session, "draft_returned")
    assert set(returned) == {world.staff.id}
    body = returned[world.staff.id].body
    assert returned[world.staff.id].subject == f"Проєкт рішення повернуто на доопрацювання: «{TITLE}»"
    assert "Коментар: Юридичний відділ: Немає фінансово-економічного обґрунтування" in body
    assert "Хто: Ірина Ткаченко" in body  # the reviewer whose visa sent it back, not "the system"
    assert "врахуйте зауваження, виправте текст і подайте проєкт знову" in body
    assert "Етап: Підготовка" in body
    assert "Строк:" not in body  # drafting has no deadline


def test_whoever_makes_the_move_is_not_told_of_it(session: Session, world: World, settings: Settings) -> None:
    # the author publishes her own draft: the notice to the author is for nobody
    mine = submitted_draft(world)
    for visa in drafts.children(session, mine, "visa"):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(session, visa, "give", world.actor(reviewer), now=world.at(0))
    fire(session, mine, "publish_for_discussion", world.actor(world.staff), now=world.at(0))
    carry_out_all(session, settings, world.at(0.01))
    assert told(session, "draft_published") == {}

    # the secretary publishes it: the author is told
    theirs = drafts.write_draft(session, world.actor(world.staff, 1), "Про сквер", "Текст.", now=world.at(1))
    drafts.submit_draft(session, theirs, world.actor(world.staff, 1), now=world.at(1))
    for visa in drafts.children(session, theirs, "visa"):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(session, visa, "give", world.actor(reviewer, 1), now=world.at(1))
    fire(session, theirs, "publish_for_discussion", world.actor(world.secretary, 1), now=world.at(1))
    carry_out_all(session, settings, world.at(1.01))
    assert set(told(session, "draft_published")) == {world.staff.id}

    # and the same holds for `tell` called directly
    assert (
        tell(
            session,
            settings,
            theirs,
            roles=["secretary", "author"],
            template="draft_withdrawn",
            key="direct",
            now=world.at(2),
            actor_id=world.staff.id,
        )
        == 1
    )
    assert {n.person_id for n in session.scalars(select(Notification).where(Notification.key.like("direct:%")))} == {
        world.secretary.id
    }


def test_a_deputy_answering_a_message_tells_the_citizen_the_answer(
    session: Session, world: World, settings: Settings
) -> None:
    citizen = setup.add_person(session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], locale="en")
    deputy = world.deputies[3]
    message = messages.write_to_deputy(
        session,
        world.actor(citizen),
        deputy,
        "Освітлення на вул. Шкільній",
        "Третій тиждень не світять ліхтарі.",
        now=world.at(0),
    )
    messages.read_message(session, message, world.actor(deputy, 1), now=world.at(1))
    messages.answer(
        session,
        message,
        world.actor(deputy, 2),
        "Звернувся до КП «Міськсвітло», полагодять у п'ятницю.",
        public=True,
        now=world.at(2),
    )

    carry_out_all(session, settings, world.at(2.01))

    answered = told(session, "message_answered")
    assert set(answered) == {citizen.id}
    body = answered[citizen.id].body
    assert answered[citizen.id].subject == "A deputy answered your message: “Освітлення на вул. Шкільній”"
    assert "полагодять у п'ятницю" in body
    assert f"By: {deputy.full_name}" in body
    assert "Document: Message to a deputy" in body


def test_a_citizen_writing_to_a_deputy_tells_the_deputy_at_once_what_was_written_and_by_when_to_answer(
    session: Session, world: World, settings: Settings
) -> None:
    citizen = setup.add_person(session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"])
    deputy = world.deputies[3]
    message = messages.write_to_deputy(
        session,
        world.actor(citizen),
        deputy,
        "Освітлення на вул. Шкільній",
        "Третій тиждень не світять ліхтарі.",
        now=world.at(0),
    )

    carry_out_all(session, settings, world.at(0.01))

    received = told(session, "message_received")
    assert set(received) == {deputy.id}  # the deputy only: the citizen wrote it
    assert received[deputy.id].subject == "Вам надіслали звернення: «Освітлення на вул. Шкільній»"
    body = received[deputy.id].body
    assert "Третій тиждень не світять ліхтарі." in body
    assert f"Хто: {citizen.full_name}" in body
    assert f"Строк: до {local_moment(message.due_at)} (за київським часом)" in body
    assert received[deputy.id].link == f"{BASE_URL}/documents/{message.id}"


def test_a_citizen_who_may_not_write_is_refused_and_nobody_is_told(
    session: Session, world: World, settings: Settings
) -> None:
    stranger = setup.add_person(session, "Без Ролі", email="nobody@example.org")
    documents_before = count(session, Document)

    with pytest.raises(NotAllowed):
        messages.write_to_deputy(
            session, world.actor(stranger), world.deputies[3], "Питання", "Текст.", now=world.at(0)
        )
    carry_out_all(session, settings, world.at(0.01))

    assert (count(session, Document), count(session, OutboxRow), count(session, Notification)) == (
        documents_before,
        0,
        0,
    )


def test_a_delegated_role_tells_the_person_given_it_and_a_revocation_tells_them_it_ended(
    session: Session, world: World, settings: Settings
) -> None:
    acting = setup.add_person(session, "Світлана Бойко", email="s@rada.example", locale="en")
    delegation = delegate_role(
        session,
        world.actor(world.lawyer),
        acting,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(1),
        ends_at=world.at(10),
        reason="відпустка юриста",
        now=world.at(0),
    )
    carry_out_all(session, settings, world.at(0.01))

    given = told(session, "delegation_given")
    assert set(given) == {acting.id}  # not the lawyer, who gave it
    assert given[acting.id].subject == "A role was delegated to you: department reviewer"
    assert (
        f"You were given the role of department reviewer from {local_moment(world.at(1))} until "
        f"{local_moment(world.at(10))} (Kyiv time)."
    ) in given[acting.id].body
    assert given[acting.id].body.count("відпустка юриста") == 1
    assert "Comment: відпустка юриста" in given[acting.id].body  # the reason, as the delegation's audit has it

    revoke_delegation(session, delegation, world.actor(world.lawyer, 2), "юрист повернувся раніше", now=world.at(2))
    carry_out_all(session, settings, world.at(2.01))

    ended = told(session, "delegation_ended")
    assert set(ended) == {acting.id}
    assert ended[acting.id].subject == "A delegation has ended: department reviewer"
    assert "(revoked)" in ended[acting.id].body
    assert "Comment: юрист повернувся раніше" in ended[acting.id].body


def test_an_amendment_tells_the_lead_committees_chair_and_then_its_author_the_committees_opinion(
    session: Session, world: World, settings: Settings
) -> None:
    draft = world.reviewed_draft(TITLE)
    carry_out_all(session, settings, world.at(1.01))
    proposer, chair = world.deputies[5], world.deputies[0]  # the budget committee leads on the draft
    amendment = propose_amendment(session, world.actor(proposer, 2), draft, "Замінити «1,2» на «1,5».", now=world.at(2))
    carry_out_all(session, settings, world.at(2.01))
    assert set(told(session, "amendment_submitted")) == {world.secretary.id, chair.id}

    committee_opinion(
        session, amendment, world.actor(chair, 3), "support", reasoning="Кошторис це дозволяє", now=world.at(3)
    )
    carry_out_all(session, settings, world.at(3.01))

    opinion = told(session, "amendment_opinion_given")
    assert set(opinion) == {proposer.id}
    body = opinion[proposer.id].body
    assert f"до проєкту рішення «{TITLE}» і рекомендує її підтримати" in body
    assert "Коментар: Кошторис це дозволяє" in body
    assert f"Хто: {chair.full_name}" in body


def test_a_convened_session_tells_every_deputy_and_the_mayor_when_and_where_it_meets(
    session: Session, world: World, settings: Settings
) -> None:
    world.mayor.locale = "en"
    draft = world.reviewed_draft(TITLE)
    plenary = world.planned_session()
    sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    fire(session, plenary, "convene", world.actor(world.secretary, 6), now=world.at(6))

    carry_out_all(session, settings, world.at(6.01))

    convened = told(session, "session_convened")
    assert set(convened) == {*(p.id for p in world.deputies), world.mayor.id}
    deputy = convened[world.deputies[0].id]
    assert deputy.subject == "Скликано пленарне засідання: 12 сесія 8 скликання"
    assert "Засідання відбудеться 18.03.2026 11:00 (за київським часом), місце: Сесійна зала, пл. Свободи, 1." in (
        deputy.body
    )
    assert "It meets on 18.03.2026 11:00 (Kyiv time) at Сесійна зала, пл. Свободи, 1." in convened[world.mayor.id].body
    assert deputy.link == f"{BASE_URL}/documents/{plenary.id}"


# --- exactly once ----------------------------------------------------------------------------------------------
def test_running_the_handler_twice_tells_nobody_twice(session: Session, world: World, settings: Settings) -> None:
    submitted_draft(world)
    (row,) = session.scalars(select(OutboxRow).where(OutboxRow.effect == "notify")).all()
    handle = notify_handler(settings)

    handle(session, row, world.at(0.01))
    first = (count(session, Notification), count(session, OutgoingMail))
    handle(session, row, world.at(0.02))  # a redelivered task, a retry after a timeout

    assert first == (2, 2)
    assert (count(session, Notification), count(session, OutgoingMail)) == first
    assert sorted(n.key for n in session.scalars(select(Notification))) == sorted(
        f"{row.idempotency_key}:{p.id}" for p in (world.lawyer, world.accountant)
    )


def test_tell_returns_how_many_it_told_and_nothing_the_second_time(
    session: Session, world: World, settings: Settings
) -> None:
    draft = submitted_draft(world)
    assert (
        tell(
            session,
            settings,
            draft,
            roles=["mayor", "secretary"],
            template="decision_adopted",
            key="once",
            now=world.at(1),
        )
        == 2
    )
    assert (
        tell(
            session,
            settings,
            draft,
            roles=["mayor", "secretary"],
            template="decision_adopted",
            key="once",
            now=world.at(1),
        )
        == 0
    )
    assert count(session, Notification) == 2


def test_an_unknown_template_or_role_is_refused_and_writes_nothing(
    session: Session, world: World, settings: Settings
) -> None:
    draft = submitted_draft(world)
    before = (count(session, Notification), count(session, OutgoingMail))
    with pytest.raises(MissingTemplate, match="no_such_template"):
        tell(session, settings, draft, roles=["secretary"], template="no_such_template", key="x", now=world.at(1))
    with pytest.raises(InvalidInput, match="unknown role 'chancellor'"):
        tell(session, settings, draft, roles=["chancellor"], template="decision_adopted", key="y", now=world.at(1))
    assert (count(session, Notification), count(session, OutgoingMail)) == before


def test_a_template_that_fails_in_one_language_leaves_nobody_half_told(
    session: Session, world: World, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.accountant.locale = "en"
    draft = submitted_draft(world)
    broken = Environment(
        loader=DictLoader({"broken.uk.txt": "Subject: Гаразд\nТекст", "broken.en.txt": "Subject: {{ missing }}\n"}),
        undefined=StrictUndefined,
    )
    monkeypatch.setattr(tasks.messages, "environment", lambda: broken)
    before = (count(session, Notification), count(session, OutgoingMail))

    with pytest.raises(UndefinedError, match="missing"):
        tell(session, settings, draft, roles=["reviewer"], template="broken", key="broken", now=world.at(1))

    assert (count(session, Notification), count(session, OutgoingMail)) == before


# --- the daily digest --------------------------------------------------------------------------------------------
def test_digest_people_get_no_mail_at_once_and_one_digest_a_day(
    session: Session, world: World, settings: Settings
) -> None:
    world.accountant.email_mode = "digest"
    first = submitted_draft(world)
    carry_out_all(session, settings, world.at(0.01))

    assert set(mails(session)) == {world.lawyer.id}
    pending = told(session)[world.accountant.id]
    assert pending.digest_pending is True

    second = drafts.write_draft(session, world.actor(world.staff, 0.1), "Про сквер", "Текст.", now=world.at(0.1))
    drafts.submit_draft(session, second, world.actor(world.staff, 0.1), now=world.at(0.1))
    carry_out_all(session, settings, world.at(0.11))

    evening = world.at(0.25)  # 2 March, 17:00 in Kyiv
    assert queue_digests(session, settings, evening) == 1
    assert queue_digests(session, settings, evening + timedelta(hours=1)) == 0
    digests = list(session.scalars(select(OutgoingMail).where(OutgoingMail.key.like("digest:%"))))
    assert [d.key for d in digests] == [f"digest:{world.accountant.id}:2026-03-02"]
    digest = digests[0]
    assert digest.to_address == world.accountant.email
    assert digest.subject == "Зведення повідомлень за 02.03.2026 (усього: 2)"
    assert f"1. Проєкт рішення чекає на вашу візу: «{TITLE}»" in digest.body
    assert "2. Проєкт рішення чекає на вашу візу: «Про сквер»" in digest.body
    assert f"{BASE_URL}/documents/{first.id}" in digest.body
    assert f"{BASE_URL}/documents/{second.id}" in digest.body
    assert not any(n.digest_pending for n in session.scalars(select(Notification)))

    # what comes after today's digest waits for tomorrow's
    third = drafts.write_draft(session, world.actor(world.staff, 0.3), "Про парк", "Текст.", now=world.at(0.3))
    drafts.submit_draft(session, third, world.actor(world.staff, 0.3), now=world.at(0.3))
    carry_out_all(session, settings, world.at(0.31))
    assert queue_digests(session, settings, world.at(0.35)) == 0  # 2 March, 19:24 in Kyiv
    assert queue_digests(session, settings, world.at(1)) == 1
    key = f"digest:{world.accountant.id}:2026-03-03"
    tomorrow = session.scalar(select(OutgoingMail).where(OutgoingMail.key == key))
    assert tomorrow is not None
    assert "«Про парк»" in tomorrow.body
    assert TITLE not in tomorrow.body


# --- the templates ----------------------------------------------------------------------------------------------
def notify_templates(registry: DefinitionRegistry) -> set[str]:
    """Every template a `notify` effect names in a shipped definition."""
    names = set()
    for kind in registry.kinds():
        for moves in registry.current(kind).moves_from.values():
            for move in moves:
                for effect, params in move.outbox_rows:
                    if effect == "notify":
                        names.add(json.loads(params)["template"])
        for effect, params in registry.current(kind).create_rows:
            if effect == "notify":
                names.add(json.loads(params)["template"])
    return names


@pytest.fixture
def two_readers(session: Session, world: World) -> tuple[Person, Person]:
    uk = setup.add_person(session, "Читач Український", email="uk@rada.example", roles=["secretary"])
    en = setup.add_person(session, "English Reader", email="en@rada.example", roles=["secretary"], locale="en")
    return uk, en


def test_every_template_the_definitions_name_exists_in_both_languages_and_renders(
    session: Session,
    world: World,
    settings: Settings,
    two_readers: tuple[Person, Person],
    registry: DefinitionRegistry,
) -> None:
    named = notify_templates(registry)
    assert {"visa_requested", "draft_returned", "session_convened", "message_received", "delegation_given"} <= named
    assert named | {"deadline_reminder", "deadline_overdue", "digest"} <= set(template_names())
    draft = submitted_draft(world)
    visa = drafts.children(session, draft, "visa")[0]
    plenary = world.planned_session()
    citizen = setup.add_person(session, "Галина Остапчук", roles=["citizen"])
    message = messages.write_to_deputy(
        session, world.actor(citizen), world.deputies[0], "Питання", "Текст.", now=world.at(0)
    )
    delegation = delegate_role(
        session,
        world.actor(world.lawyer),
        world.staff,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(1),
        ends_at=world.at(10),
        reason="відпустка",
        now=world.at(0),
    )
    for name in sorted(named):
        for document in (draft, visa, plenary, message, delegation):
            assert (
                tell(
                    session,
                    settings,
                    document,
                    roles=["secretary"],
                    template=name,
                    key=f"{name}:{document.id}",
                    now=world.at(1),
                    actor_id=world.staff.id,
                    extra={"comment": "Коментар до дії"},
                )
                == 3
            )
    for notification in session.scalars(select(Notification)):
        assert notification.subject
        assert "{{" not in notification.subject
        assert "\n" not in notification.subject
        assert notification.link is not None
        assert notification.link in notification.body
        assert "Коментар до дії" in notification.body
    uk, en = two_readers
    assert all(
        n.body.startswith("Dear English Reader,")
        for n in session.scalars(select(Notification).where(Notification.person_id == en.id))
    )
    assert all(
        n.body.startswith("Добрий день, Читач Український!")
        for n in session.scalars(select(Notification).where(Notification.person_id == uk.id))
    )


def test_the_deadline_templates_say_what_is_due_and_when(
    session: Session,
    world: World,
    settings: Settings,
    two_readers: tuple[Person, Person],
    registry: DefinitionRegistry,
) -> None:
    draft = submitted_draft(world)
    title = registry.current("decision_draft").state("visas").title
    for template in ("deadline_reminder", "deadline_overdue"):
        tell(
            session,
            settings,
            draft,
            roles=["secretary"],
            template=template,
            key=template,
            now=world.at(4),
            extra={"due_at": draft.due_at, "state": "visas", "state_title": title},
        )
    uk, en = two_readers
    reminder_uk = session.scalar(select(Notification).where(Notification.key == f"deadline_reminder:{uk.id}"))
    overdue_en = session.scalar(select(Notification).where(Notification.key == f"deadline_overdue:{en.id}"))
    assert reminder_uk is not None
    assert overdue_en is not None
    assert reminder_uk.subject == f"Нагадування: строк спливає 09.03.2026 11:00 — «{TITLE}»"
    assert "на етапі «На візуванні»" in reminder_uk.body
    assert overdue_en.subject == f"Overdue: “{TITLE}”"
    assert "The stage “Awaiting visas” was due on 09.03.2026 11:00 (Kyiv time)" in overdue_en.body


def test_an_unknown_locale_reads_ukrainian() -> None:
    message = render(
        "digest", "de", {"person": {"name": "Hans"}, "date": "02.03.2026", "base_url": BASE_URL, "notifications": []}
    )
    assert message.subject == "Зведення повідомлень за 02.03.2026 (усього: 0)"


# --- the cabinet's list ---------------------------------------------------------------------------------------
def test_a_person_reads_their_notifications_and_only_theirs(session: Session, world: World, settings: Settings) -> None:
    for days in (0, 1):
        draft = drafts.write_draft(
            session, world.actor(world.staff, days), f"Проєкт {days}", "Текст.", now=world.at(days)
        )
        drafts.submit_draft(session, draft, world.actor(world.staff, days), now=world.at(days))
        carry_out_all(session, settings, world.at(days + 0.01))
    mine = inbox.unread(session, world.lawyer.id)
    assert [n.subject for n in mine] == [
        "Проєкт рішення чекає на вашу візу: «Проєкт 1»",
        "Проєкт рішення чекає на вашу візу: «Проєкт 0»",
    ]
    assert inbox.unread_count(session, world.lawyer.id) == 2
    theirs = inbox.unread(session, world.accountant.id)

    # someone else's notification, or one that does not exist: refused, and nothing is marked
    with pytest.raises(NotAllowed, match="belongs to someone else"):
        inbox.mark_read(session, world.lawyer.id, [mine[0].id, theirs[0].id], world.at(2))
    with pytest.raises(NotFound, match="there is no notification 999999"):
        inbox.mark_read(session, world.lawyer.id, [mine[0].id, 999999], world.at(2))
    session.expire_all()
    assert inbox.unread_count(session, world.lawyer.id) == 2
    assert inbox.unread_count(session, world.accountant.id) == 2

    assert inbox.mark_read(session, world.lawyer.id, [mine[1].id], world.at(2)) == 1
    assert inbox.mark_read(session, world.lawyer.id, [mine[1].id], world.at(3)) == 0  # already read
    assert [n.id for n in inbox.unread(session, world.lawyer.id)] == [mine[0].id]
    recent = inbox.recent(session, world.lawyer.id, limit=5)
    assert [n.id for n in recent] == [mine[0].id, mine[1].id]
    assert recent[1].read_at is not None
    assert inbox.recent(session, world.lawyer.id, limit=1) == [recent[0]]
