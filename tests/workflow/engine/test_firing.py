"""Firing transitions on a draft decision: what moves, what is recorded, and every refusal leaving no trace."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from workflow import limits
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_vote
from workflow.engine import available_actions, create_document, edit_document, fire
from workflow.engine.audit import GENESIS, content_digest, hash_of
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import GuardFailed, InvalidInput, NotAllowed, WrongState
from workflow.people import Actor
from workflow.timeutil import as_utc

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def draft(session, author):
    return create_document(
        session,
        "decision_draft",
        author,
        title="Про ремонт шкільного стадіону",
        fields={"body": "Виділити кошти на ремонт стадіону школи № 3."},
        now=MONDAY,
    )


def entries(session, document):
    return session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
    ).all()


def outbox(session, document):
    return session.scalars(select(OutboxRow).where(OutboxRow.document_id == document.id).order_by(OutboxRow.id)).all()


def test_a_new_draft_starts_in_drafting_with_its_creation_audited(session, registry, draft, author):
    # a new draft starts on the version of decision_draft that definitions/ holds now
    assert (draft.state, draft.version, draft.definition_version) == (
        "drafting",
        1,
        registry.current("decision_draft").version,
    )
    (created,) = entries(session, draft)
    assert (created.trigger, created.from_state, created.to_state, created.actor_id) == (
        "create",
        None,
        "drafting",
        author.id,
    )
    assert created.prev_hash == GENESIS
    assert created.hash == hash_of(created) == draft.audit_hash


def test_submitting_moves_the_draft_audits_it_and_records_its_effects(session, draft, author):
    fired = fire(session, draft, "submit", author, comment="Прошу завізувати", now=MONDAY)

    assert (fired.from_state, fired.to_state, fired.version) == ("drafting", "visas", 2)
    session.expire_all()
    stored = session.get(Document, draft.id)
    assert (stored.state, stored.version, stored.audit_hash) == ("visas", 2, fired.audit_hash)
    # the visas state has a deadline of 5 working days: Monday 2 March -> Monday 9 March
    assert stored.due_at.replace(tzinfo=UTC) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)

    created, submitted = entries(session, draft)
    assert (submitted.trigger, submitted.from_state, submitted.to_state) == ("submit", "drafting", "visas")
    assert (submitted.actor_id, submitted.comment, submitted.version) == (author.id, "Прошу завізувати", 2)
    assert submitted.prev_hash == created.hash
    assert submitted.hash == hash_of(submitted)

    (effect,) = outbox(session, draft)
    assert (effect.effect, effect.status, effect.audit_version) == ("notify", "pending", 2)
    assert effect.params == {"roles": ["reviewer"], "template": "visa_requested"}
    assert effect.idempotency_key == f"{draft.id}:2:0"


def test_a_move_with_several_effects_records_each_in_order_pending_from_the_moment_of_the_move(
    definitions, deploy, author
):
    # an operator gives the submission three effects
    path = definitions / "decision_draft.yaml"
    one = "      - notify: {roles: [reviewer], template: visa_requested}\n"
    assert one in path.read_text()
    path.write_text(
        path.read_text()
        .replace("\nversion: 2\n", "\nversion: 3\n", 1)
        .replace(
            one,
            one
            + (
                "      - notify: {roles: [author], template: visa_requested}\n"
                "      - notify: {roles: [secretary], template: visa_requested}\n"
            ),
            1,
        )
    )
    session = deploy(definitions)
    draft = create_document(session, "decision_draft", author, title="Про сквер", fields={"body": "Текст."}, now=MONDAY)

    fire(session, draft, "submit", author, now=MONDAY)

    rows = outbox(session, draft)
    assert [(row.effect, row.params, row.idempotency_key, row.audit_version) for row in rows] == [
        ("notify", {"roles": [role], "template": "visa_requested"}, f"{draft.id}:2:{index}", 2)
        for index, role in enumerate(["reviewer", "author", "secretary"])
    ]
    assert {(row.status, row.attempts, row.last_error, row.done_at) for row in rows} == {("pending", 0, None, None)}
    moments = {moment.replace(tzinfo=UTC) for row in rows for moment in (row.available_at, row.created_at)}
    assert moments == {MONDAY}


def adopted_at_session_12(session, world) -> Document:
    """A draft reviewed by the budget committee, put on the agenda of session № 12 (18 March) and adopted there
    by 6 votes of 9."""
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    secretary = world.actor(world.secretary, 16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    sessions.vote_on_item(
        session, plenary, secretary, item, world.ballots(for_=6, against=2, abstain=1), now=world.at(16)
    )
    assert draft.state == "adopted"
    return draft


def test_signing_numbers_the_decision_and_records_its_two_effects_in_order(session, world):
    draft = adopted_at_session_12(session, world)
    fired = fire(session, draft, "sign", world.actor(world.mayor, 17), now=world.at(17))

    # the number is a consequence, given in the move's transaction; the outbox holds what reaches outside
    assert fired.consequences == ("assign_number",)
    signed = [e for e in outbox(session, draft) if e.audit_version == fired.version]
    assert [(e.effect, e.params) for e in signed] == [
        ("render_docx", {"template": "decision"}),
        ("notify", {"roles": ["secretary", "author"], "template": "decision_signed"}),
    ]
    assert [e.idempotency_key for e in signed] == [f"{draft.id}:{fired.version}:{i}" for i in range(2)]


def test_a_document_changed_behind_the_engine_is_refused(session, draft, author):
    draft.state = "adopted"
    with pytest.raises(RuntimeError, match="changes made outside the engine"):
        fire(session, draft, "submit", author)


def test_the_loaded_document_is_updated_in_place(session, draft, author):
    fire(session, draft, "submit", author)
    assert (draft.state, draft.version) == ("visas", 2)
    assert not session.dirty, "the engine writes through its own statements; the ORM has nothing left to flush"


def test_a_trigger_that_does_not_exist_from_the_state_is_refused(session, draft, author, unchanged):
    with unchanged(), pytest.raises(WrongState, match=r"'publish' is not possible .* 'Drafting'.*submit"):
        fire(session, draft, "publish", author)


def test_an_unknown_trigger_is_refused(session, draft, author, unchanged):
    with unchanged(), pytest.raises(WrongState, match="no action 'explode'"):
        fire(session, draft, "explode", author)


def test_only_the_author_submits_a_draft(session, draft, people, unchanged):
    colleague = people.person("Петро Шевчук", "staff")
    with unchanged(), pytest.raises(NotAllowed, match="can be done only by: author"):
        fire(session, draft, "submit", colleague)


def test_a_draft_without_text_cannot_be_submitted(session, author, unchanged):
    empty = create_document(session, "decision_draft", author, title="  ", fields={})
    with unchanged(), pytest.raises(GuardFailed) as refused:
        fire(session, empty, "submit", author)
    assert refused.value.reasons == ("the draft has no title and no text",)


def test_returning_for_revision_requires_a_comment(session, draft, author, secretary, unchanged):
    fire(session, draft, "submit", author)
    with unchanged(), pytest.raises(InvalidInput, match="needs a comment"):
        fire(session, draft, "return_for_revision", secretary, comment="   ")
    fire(session, draft, "return_for_revision", secretary, comment="Додайте фінансове обґрунтування")
    assert draft.state == "drafting"


def test_data_that_cannot_be_stored_is_refused(session, draft, author, unchanged):
    with unchanged(), pytest.raises(InvalidInput, match="cannot be stored"):
        fire(session, draft, "submit", author, data={"when": object()})


def test_visas_must_all_be_given_before_publication(session, draft, author, secretary, people, unchanged):
    fire(session, draft, "submit", author)
    with unchanged(), pytest.raises(GuardFailed, match="no visa has been asked for yet"):
        fire(session, draft, "publish_for_discussion", secretary)

    system = Actor.system()
    legal = create_document(session, "visa", system, parent=draft, fields={"department_id": 1})
    finance = create_document(session, "visa", system, parent=draft, fields={"department_id": 2})
    lawyer = people.person("Ірина Ткаченко", reviewer=1)
    fire(session, legal, "give", lawyer)
    with unchanged(), pytest.raises(GuardFailed, match="1 of 2 visas are still awaited"):
        fire(session, draft, "publish_for_discussion", secretary)

    with unchanged(), pytest.raises(NotAllowed):
        fire(session, finance, "give", lawyer)  # a reviewer of the legal department, not of finance
    fire(session, finance, "give", people.person("Андрій Лисенко", reviewer=2))
    fire(session, draft, "publish_for_discussion", secretary)
    assert draft.state == "public_discussion"


def test_a_draft_goes_only_to_a_session_ten_working_days_after_its_publication(session, world, unchanged):
    draft = world.reviewed_draft()  # published for discussion on Monday 2 March
    secretary = world.actor(world.secretary, 5)
    with unchanged(), pytest.raises(GuardFailed, match=r"say which session the draft goes to"):
        fire(session, draft, "put_on_agenda", secretary, now=world.at(5))

    thursday_12_march = world.planned_session(number=12, days=10)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        sessions.add_to_agenda(session, thursday_12_march, secretary, draft, now=world.at(5))
    assert refused.value.reasons == (
        "published on 2 March 2026, the session is on 12 March 2026: 8 working days, the rule asks for 10",
    )

    sessions.add_to_agenda(session, world.planned_session(number=13, days=16), secretary, draft, now=world.at(5))
    assert draft.state == "on_agenda"


def test_only_the_council_s_vote_records_a_draft_as_adopted_or_rejected(session, world, unchanged):
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    secretary = world.actor(world.secretary, 16)
    with unchanged(), pytest.raises(GuardFailed, match="has not voted on this draft at its current session"):
        fire(session, draft, "adopt", secretary, now=world.at(16))

    world.open(plenary, days=16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    fire(session, item, "consider", secretary, now=world.at(16))
    hold_vote(
        session,
        plenary,
        secretary,
        purpose="decision",
        subject=item,
        question="Про прийняття рішення",
        ballots=world.ballots(for_=4, against=5),
        now=world.at(16),
    )
    with unchanged(), pytest.raises(GuardFailed, match="the vote was rejected: not adopted: 4 for, 5 against"):
        fire(session, draft, "adopt", secretary, now=world.at(16))
    fire(session, draft, "reject", secretary, now=world.at(16))
    assert draft.state == "rejected"


def test_the_mayor_vetoes_only_within_five_days_of_the_adoption(session, world, unchanged):
    draft = adopted_at_session_12(session, world)  # on Wednesday 18 March
    with unchanged(), pytest.raises(GuardFailed, match="the period for a veto ended on 23 March 2026"):
        fire(
            session,
            draft,
            "veto",
            world.actor(world.mayor, 27),
            comment="Суперечить бюджетному кодексу",
            now=world.at(27),
        )
    fire(
        session, draft, "veto", world.actor(world.mayor, 20), comment="Суперечить бюджетному кодексу", now=world.at(20)
    )
    assert draft.state == "vetoed"


def test_available_actions_explain_the_grey_buttons(session, draft, author, people):
    colleague = people.person("Петро Шевчук", "staff")
    by_trigger = {a.trigger: a for a in available_actions(session, draft, colleague)}
    assert set(by_trigger) == {"submit", "withdraw"}
    assert not by_trigger["submit"].allowed
    assert by_trigger["submit"].reasons == ("'Submit for visas' can be done only by: author",)

    mine = {a.trigger: a for a in available_actions(session, draft, author)}
    assert (mine["submit"].allowed, mine["submit"].reasons) == (True, ())
    assert (mine["withdraw"].allowed, mine["withdraw"].comment) == (True, "required")

    edit_document(session, draft, author, fields={"body": ""})
    (submit,) = [a for a in available_actions(session, draft, author) if a.trigger == "submit"]
    assert (submit.allowed, submit.reasons) == (False, ("the draft has no text",))


def test_the_author_edits_in_drafting_and_the_edit_is_audited(session, draft, author, unchanged):
    edit_document(session, draft, author, title="Про капітальний ремонт стадіону", fields={"body": "Новий текст"})
    assert (draft.title, draft.fields["body"], draft.version) == ("Про капітальний ремонт стадіону", "Новий текст", 2)
    edit = entries(session, draft)[-1]
    assert (edit.trigger, edit.from_state, edit.to_state, edit.data) == (
        "edit",
        "drafting",
        "drafting",
        {"changed": ["title", "body"], "content": content_digest(draft.title, {"body": "Новий текст"})},
    )
    session.expire_all()
    assert session.get(Document, draft.id).fields == {"body": "Новий текст"}

    fire(session, draft, "submit", author)
    with unchanged(), pytest.raises(NotAllowed, match="'Awaiting visas' cannot be edited"):
        edit_document(session, draft, author, fields={"body": "Ще один текст"})


def test_a_move_enters_its_state_at_its_moment_and_an_edit_keeps_that_moment(session, draft, author):
    tuesday, wednesday = datetime(2026, 3, 3, 10, 0, tzinfo=UTC), datetime(2026, 3, 4, 11, 0, tzinfo=UTC)

    edit_document(session, draft, author, fields={"body": "Новий текст"}, now=tuesday)
    session.expire_all()
    edited = session.get(Document, draft.id)
    assert (edited.version, as_utc(edited.state_entered_at), as_utc(edited.updated_at)) == (2, MONDAY, tuesday)

    fire(session, edited, "submit", author, now=wednesday)
    session.expire_all()
    moved = session.get(Document, draft.id)
    assert (moved.state, moved.version, as_utc(moved.state_entered_at)) == ("visas", 3, wednesday)
    assert as_utc(moved.due_at) == datetime(2026, 3, 11, 11, 0, tzinfo=UTC)  # five working days from the move


def test_an_edit_that_changes_nothing_writes_nothing(session, draft, author, unchanged):
    with unchanged():
        edit_document(session, draft, author, fields={"body": draft.fields["body"]})


def test_only_allowed_roles_create_documents(session, people, unchanged):
    citizen = people.person("Громадянин", "citizen")
    with unchanged(), pytest.raises(NotAllowed, match="staff, deputy, secretary, mayor"):
        create_document(session, "decision_draft", citizen, title="Мій проєкт")


@pytest.mark.parametrize(
    ("action", "complaint"),
    [
        (lambda s, d, a: fire(s, d, "withdraw", a, comment="Причина\x00"), "comment contains a NUL"),
        (lambda s, d, a: fire(s, d, "submit", a, data={"note": "a\x00b"}), "data .* contains a NUL"),
        (lambda s, d, a: fire(s, d, "submit", a, data={"share": float("nan")}), "cannot be stored"),
        (lambda s, d, a: edit_document(s, d, a, title="Назва\x00"), "title contains a NUL"),
        (lambda s, d, a: edit_document(s, d, a, fields={"body": "\x00"}), "fields contain a NUL"),
        (lambda s, d, a: edit_document(s, d, a, fields={"when": datetime.now(UTC)}), "fields cannot be stored"),
        (
            lambda s, d, a: create_document(s, "decision_draft", a, title="x", fields={"n": object()}),
            "fields cannot be stored",
        ),
    ],
    ids=["nul-comment", "nul-data", "nan-data", "nul-title", "nul-fields", "date-in-fields", "object-in-fields"],
)
def test_content_no_database_can_store_is_refused_on_both(session, draft, author, unchanged, action, complaint):
    with unchanged(), pytest.raises(InvalidInput, match=complaint):
        action(session, draft, author)


@pytest.mark.parametrize(
    ("action", "complaint"),
    [
        (
            lambda s, d, a: fire(s, d, "withdraw", a, comment="б" * 300_000),
            f"the comment has 300000 characters; at most {limits.COMMENT} are kept",
        ),
        (
            lambda s, d, a: create_document(s, "decision_draft", a, title="x", comment="б" * (limits.COMMENT + 1)),
            f"the comment has {limits.COMMENT + 1} characters",
        ),
        (
            lambda s, d, a: edit_document(s, d, a, title="Н" * (limits.TITLE + 1)),
            f"the title has {limits.TITLE + 1} characters; at most {limits.TITLE} are allowed",
        ),
        (
            lambda s, d, a: edit_document(s, d, a, fields={"body": "т" * (limits.FIELD_TEXT + 1)}),
            f"the field 'body' has {limits.FIELD_TEXT + 1} characters; at most {limits.FIELD_TEXT} are allowed",
        ),
        (
            lambda s, d, a: create_document(
                s, "decision_draft", a, title="x", fields={"annex": [{"text": "т" * (limits.FIELD_TEXT + 1)}]}
            ),
            "the field 'annex.text' has",
        ),
    ],
    ids=["comment-of-a-move", "comment-of-a-creation", "title", "field", "nested-field"],
)
def test_text_longer_than_its_limit_is_refused_whoever_sends_it_saying_the_limit(
    session, draft, author, unchanged, action, complaint
):
    with unchanged(), pytest.raises(InvalidInput, match=re.escape(complaint)):
        action(session, draft, author)


def test_text_up_to_its_limit_is_kept(session, draft, author):
    edit_document(session, draft, author, title="Н" * limits.TITLE, fields={"body": "т" * limits.FIELD_TEXT})
    fire(session, draft, "withdraw", author, comment="б" * limits.COMMENT)

    assert entries(session, draft)[-1].comment == "б" * limits.COMMENT


def test_only_the_fields_a_state_opens_can_be_edited(session, draft, author, unchanged):
    with unchanged(), pytest.raises(InvalidInput, match=r"only these can be changed: title, body \(not: author_id"):
        edit_document(session, draft, author, fields={"author_id": 999, "body": "Новий текст"})
