"""Replaying the audit log: whatever people try on a draft decision and its visas and committee conclusions,
in whatever order, the log replays to the document's state, every chain verifies, every refusal leaves no
trace, and the outbox holds exactly the effects of the moves that went through."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, multiple, rule, run_state_machine_as_test
from sqlalchemy import select

from tests.conftest import DEFINITIONS, Snapshot, snapshot
from workflow.council.rules import CATALOG, RECOMMENDATIONS
from workflow.db import REGISTRY_KEY
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import Fired, available_actions, create_document, edit_document, fire
from workflow.engine.audit import ReplayError, replay, verify_document
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import WorkflowError
from workflow.people import Actor

_SHIPPED = DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)
#: every trigger of each definition: most of them are impossible from any one state, and that is the point
DRAFT_TRIGGERS = sorted(_SHIPPED.current("decision_draft").triggers())
VISA_TRIGGERS = sorted(_SHIPPED.current("visa").triggers())
CONCLUSION_TRIGGERS = sorted(_SHIPPED.current("committee_conclusion").triggers())

#: where a draft usually goes from a state, by whom and with what comment (the first way is the commonest)
USUAL_WAYS = {
    "drafting": [("submit", "author", None)],
    "public_discussion": [("send_to_committees", "secretary", None)],
    "on_agenda": [
        ("adopt", "secretary", None), ("postpone", "secretary", "Бракує часу"), ("reject", "secretary", None),
    ],
    "postponed": [("put_on_agenda", "secretary", None), ("withdraw", "author", "Питання втратило актуальність")],
    "adopted": [("sign", "mayor", None), ("veto", "mayor", "Суперечить бюджетному кодексу")],
    "vetoed": [
        ("override_veto", "secretary", None), ("revise_after_veto", "author", "Врахуємо зауваження мера"),
        ("drop", "secretary", "Рада погодилася з вето"),
    ],
    "signed": [("publish", "secretary", None)],
    "published": [("enter_into_force", "system", None)],
}
DEPARTMENTS = (1, 2)  # legal, finance
COMMITTEES = (4, 5)
#: a comment, none, and one that is only blanks (which counts as none)
COMMENTS = st.sampled_from([None, "Прошу врахувати зауваження", "   "])


@dataclass(frozen=True)
class Cast:
    """The people who act on a draft: its author, the council's officers, reviewers, chairs and an outsider."""

    author: Actor
    secretary: Actor
    mayor: Actor
    #: a deputy with nothing to do with this draft
    stranger: Actor
    reviewers: dict[int, Actor]
    chairs: dict[int, Actor]


@pytest.fixture
def cast(people) -> Cast:
    return Cast(
        author=people.person("Оксана Мельник", "staff"),
        secretary=people.person("Тарас Коваль", "secretary"),
        mayor=people.person("Микола Бондар", "mayor"),
        stranger=people.person("Петро Шевчук", "deputy"),
        reviewers={
            1: people.person("Ірина Ткаченко", reviewer=1),
            2: people.person("Андрій Лисенко", reviewer=2),
        },
        chairs={
            4: people.person("Василь Гончаренко", committee_chair=4),
            5: people.person("Марія Савчук", committee_chair=5),
        },
    )


def entries_of(session, document: Document) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version)
        )
    )


class DraftLife(RuleBasedStateMachine):
    """One draft decision, from creation on, with whatever visas and committee conclusions people ask for."""

    visas = Bundle("visas")
    conclusions = Bundle("conclusions")

    def __init__(self, session, cast: Cast) -> None:
        super().__init__()
        self.session, self.cast = session, cast
        self.registry = session.info[REGISTRY_KEY]
        # each example in a savepoint of its own, rolled back in teardown: examples never see each other
        self.savepoint = session.begin_nested()
        self.draft = create_document(
            session, "decision_draft", cast.author, title="Про ремонт шкільного стадіону",
            fields={"body": "Виділити кошти на ремонт стадіону школи № 3."},
        )
        self.documents = [self.draft]
        #: the outbox rows the successful moves asked for, by idempotency key
        self.expected_outbox: set[str] = set()
        #: the database as the last refusal found and left it; None once anything went through since
        self.unchanged_since: Snapshot | None = None

    def teardown(self) -> None:
        try:
            if sys.exc_info()[1] is None:  # when a step failed, its own error says what went wrong
                self.check_the_log_and_the_outbox()
        finally:
            self.savepoint.rollback()

    # --- the draft ---------------------------------------------------------------------------------------------
    @rule(
        trigger=st.sampled_from(DRAFT_TRIGGERS),
        who=st.sampled_from(["author", "secretary", "mayor", "stranger"]),
        comment=COMMENTS,
    )
    def fire_on_the_draft(self, trigger: str, who: str, comment: str | None) -> None:
        self.attempt_to_fire(self.draft, trigger, self.person(who), comment)

    @rule(data=st.data(), steps=st.integers(min_value=1, max_value=4))
    def the_council_takes_the_usual_next_steps(self, data: st.DataObject, steps: int) -> None:
        """The next steps on one of the usual roads of a draft, children included (a visa asked for and given, a
        committee's conclusion written, discussed and signed). Random actions seldom go that far."""
        for _ in range(steps):
            state = self.draft.state
            if state == "visas":
                self.next_visa_step()
            elif state == "committee_review":
                self.next_committee_step()
            elif state in USUAL_WAYS:
                trigger, who, comment = data.draw(st.sampled_from(USUAL_WAYS[state]), label="way")
                self.attempt_to_fire(self.draft, trigger, self.person(who), comment)  # refused if the text is erased

    def next_visa_step(self) -> None:
        visas = self.children("visa")
        awaited = [v for v in visas if v.state == "requested"]
        if awaited:
            self.attempt_to_fire(awaited[0], "give", self.cast.reviewers[awaited[0].fields["department_id"]], None)
        elif any(v.state == "given" for v in visas):
            self.attempt_to_fire(self.draft, "publish_for_discussion", self.cast.secretary, None)
        else:
            self.attempt_to_create("visa", Actor.system(), {"department_id": 1})

    def next_committee_step(self) -> None:
        assigned = [c for c in self.children("committee_conclusion") if c.state != "cancelled"]
        unsigned = [c for c in assigned if c.state != "signed"]
        if not assigned:
            self.attempt_to_create(
                "committee_conclusion", Actor.system(),
                {"committee_id": 4, "recommendation": "support", "body": "Підтримати"},
            )
            return
        if not unsigned:
            self.attempt_to_fire(self.draft, "put_on_agenda", self.cast.secretary, None)
            return
        conclusion = unsigned[0]
        chair = self.cast.chairs[conclusion.fields["committee_id"]]
        if conclusion.fields.get("recommendation") is None:
            self.attempt(lambda: edit_document(self.session, conclusion, chair, fields={"recommendation": "support"}))
            return
        self.attempt_to_fire(conclusion, "sign" if conclusion.state == "discussed" else "discuss", chair, None)

    @rule(
        who=st.sampled_from(["author", "secretary", "stranger"]),
        title=st.sampled_from([None, "", "Про капітальний ремонт стадіону"]),
        body=st.sampled_from(["", "Виділити 2 млн грн на ремонт стадіону."]),
    )
    def edit_the_draft(self, who: str, title: str | None, body: str) -> None:
        self.attempt(lambda: edit_document(
            self.session, self.draft, self.person(who), title=title, fields={"body": body},
        ))

    # --- visas -------------------------------------------------------------------------------------------------
    @rule(
        target=visas,
        department=st.sampled_from(DEPARTMENTS),
        who=st.sampled_from(["system", "secretary", "stranger"]),
    )
    def ask_for_a_visa(self, department: int, who: str):
        return self.attempt_to_create("visa", self.person(who), {"department_id": department})

    @rule(
        visa=visas,
        trigger=st.sampled_from(VISA_TRIGGERS),
        who=st.sampled_from(["its reviewer", "another reviewer", "secretary", "stranger"]),
        comment=COMMENTS,
    )
    def move_a_visa(self, visa: Document, trigger: str, who: str, comment: str | None) -> None:
        department = visa.fields["department_id"]
        actor = {
            "its reviewer": self.cast.reviewers[department],
            "another reviewer": next(r for d, r in self.cast.reviewers.items() if d != department),
        }.get(who) or self.person(who)
        self.attempt_to_fire(visa, trigger, actor, comment)

    # --- committee conclusions ---------------------------------------------------------------------------------
    @rule(
        target=conclusions,
        committee=st.sampled_from(COMMITTEES),
        recommendation=st.sampled_from([None, *RECOMMENDATIONS]),
        who=st.sampled_from(["system", "secretary", "stranger"]),
    )
    def assign_a_committee(self, committee: int, recommendation: str | None, who: str):
        fields = {"committee_id": committee, "body": "Підтримати з урахуванням зауважень"}
        if recommendation is not None:
            fields["recommendation"] = recommendation
        return self.attempt_to_create("committee_conclusion", self.person(who), fields)

    @rule(
        conclusion=conclusions,
        recommendation=st.sampled_from(RECOMMENDATIONS),
        who=st.sampled_from(["its chair", "another chair", "stranger"]),
    )
    def write_a_conclusion(self, conclusion: Document, recommendation: str, who: str) -> None:
        actor = self.chair(conclusion, who) or self.person(who)
        self.attempt(lambda: edit_document(
            self.session, conclusion, actor, fields={"recommendation": recommendation},
        ))

    @rule(
        conclusion=conclusions,
        trigger=st.sampled_from(CONCLUSION_TRIGGERS),
        who=st.sampled_from(["its chair", "another chair", "secretary", "stranger"]),
        comment=COMMENTS,
    )
    def move_a_conclusion(self, conclusion: Document, trigger: str, who: str, comment: str | None) -> None:
        actor = self.chair(conclusion, who) or self.person(who)
        self.attempt_to_fire(conclusion, trigger, actor, comment)

    # --- any document --------------------------------------------------------------------------------------------
    @rule(data=st.data())
    def press_a_button_the_page_offers(self, data: st.DataObject) -> None:
        """Someone involved presses an enabled button, and what the page offers as allowed goes through."""
        document = data.draw(st.sampled_from(self.documents), label="document")
        actor = data.draw(st.sampled_from(self.involved(document)), label="who")
        offered = [a for a in available_actions(self.session, document, actor) if a.allowed]
        if document is self.draft:
            # a button that ends the draft's life (withdraw, above all) would end most examples early;
            # the other rules press those
            offered = [a for a in offered if not self.compiled(document).state(a.to_state).final]
        if offered:
            action = data.draw(st.sampled_from(offered), label="action")
            if action.comment == "optional":
                comment = data.draw(COMMENTS, label="comment")
            else:
                comment = "Так вирішено" if action.comment == "required" else None
            self.expect_to_fire(document, action.trigger, actor, comment)

    # --- what must hold at the end of every example ------------------------------------------------------------
    def check_the_log_and_the_outbox(self) -> None:
        """Each log replays to its document's state and its chain holds; the outbox holds exactly the effects of
        the moves that went through, no more (refusals were checked as they happened)."""
        self.session.expire_all()
        for document in self.documents:
            entries = entries_of(self.session, document)
            assert verify_document(document, entries) is None
            assert replay({document.definition_version: self.compiled(document)}, entries) == document.state
        assert set(self.session.scalars(select(OutboxRow.idempotency_key))) == self.expected_outbox

    # --- helpers -----------------------------------------------------------------------------------------------
    def compiled(self, document: Document):
        return self.registry.get(document.kind, document.definition_version)

    def person(self, who: str) -> Actor:
        return Actor.system() if who == "system" else getattr(self.cast, who)

    def children(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

    def involved(self, document: Document) -> list[Actor]:
        """Who could act on this document (and may still be refused)."""
        cast = self.cast
        if document.kind == "visa":
            return [cast.reviewers[document.fields["department_id"]], cast.secretary, Actor.system()]
        if document.kind == "committee_conclusion":
            return [cast.chairs[document.fields["committee_id"]], cast.secretary, Actor.system()]
        return [cast.author, cast.secretary, cast.mayor]

    def chair(self, conclusion: Document, who: str) -> Actor | None:
        committee = conclusion.fields["committee_id"]
        if who == "its chair":
            return self.cast.chairs[committee]
        if who == "another chair":
            return next(c for k, c in self.cast.chairs.items() if k != committee)
        return None

    def attempt(self, action):
        """Do it; a refusal is fine, but it must leave documents, audit and outbox as they were."""
        # what a refusal left is what the next step starts from: one snapshot serves a run of refusals
        before = self.unchanged_since or snapshot(self.session)
        self.unchanged_since = None
        try:
            result = action()
        except WorkflowError:
            assert snapshot(self.session) == before, "a refused action left a trace"
            self.unchanged_since = before
            return None
        return result

    def attempt_to_fire(self, document: Document, trigger: str, actor: Actor, comment: str | None) -> None:
        state = document.state
        fired: Fired | None = self.attempt(
            lambda: fire(self.session, document, trigger, actor, comment=comment)
        )
        if fired is not None:
            self.moved(document, state, trigger, fired)

    def expect_to_fire(self, document: Document, trigger: str, actor: Actor, comment: str | None) -> None:
        state = document.state
        self.unchanged_since = None
        fired = fire(self.session, document, trigger, actor, comment=comment)
        self.moved(document, state, trigger, fired)

    def moved(self, document: Document, state: str, trigger: str, fired: Fired) -> None:
        assert (fired.from_state, fired.to_state) == (state, self.compiled(document).move(state, trigger).dest)
        self.expected_outbox |= {f"{document.id}:{fired.version}:{i}" for i in range(len(fired.effects))}

    def attempt_to_create(self, kind: str, actor: Actor, fields: dict[str, object]):
        child = self.attempt(lambda: create_document(self.session, kind, actor, parent=self.draft, fields=fields))
        if child is None:
            return multiple()
        self.documents.append(child)
        return child


def test_any_sequence_of_actions_replays_verifies_and_leaves_refusals_without_trace(session, cast):
    # the fixtures are made once for the whole run; each example isolates itself in a savepoint of its own
    run_state_machine_as_test(
        lambda: DraftLife(session, cast),
        settings=settings(max_examples=60, stateful_step_count=20, deadline=None),
    )


# --- replay on a log that cannot have happened ---------------------------------------------------------------
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def logged(version: int, trigger: str, from_state: str | None, to_state: str, **data: object) -> AuditEntry:
    """An audit entry as it would be read back (hashes do not matter to replay)."""
    return AuditEntry(
        document_id=1, version=version, at=MONDAY, actor_id=None, trigger=trigger, from_state=from_state,
        to_state=to_state, comment=None, data=data, prev_hash="", hash="",
    )


@pytest.fixture
def draft_versions(registry):
    return {1: registry.get("decision_draft", 1)}


def test_a_log_replays_to_where_it_leads(draft_versions):
    log = [
        logged(1, "create", None, "drafting", definition_version=1),
        logged(2, "edit", "drafting", "drafting", changed=["body"]),
        logged(3, "submit", "drafting", "visas"),
        logged(4, "return_for_revision", "visas", "drafting"),
    ]
    assert replay(draft_versions, log) == "drafting"


@pytest.mark.parametrize(
    ("log", "complaint"),
    [
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=1),
                logged(2, "adopt", "drafting", "adopted"),
            ],
            r"entry 2: 'adopt' is not possible from 'drafting'",
            id="a trigger not possible from the replayed state",
        ),
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=1),
                logged(2, "adopt", "on_agenda", "adopted"),
            ],
            r"entry 2: it starts from 'on_agenda', replay is in 'drafting'",
            id="an entry starting from another state than the replay is in",
        ),
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=1),
                logged(2, "create", None, "drafting", definition_version=1),
            ],
            r"entry 2: 'create' of a document that exists",
            id="a second creation",
        ),
        pytest.param(
            [logged(1, "create", None, "drafting", definition_version=7)],
            r"entry 1: definition version 7 was not given",
            id="a definition version not given",
        ),
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=1),
                logged(2, "submit", "drafting", "public_discussion"),
            ],
            r"entry 2: replay reached 'visas', the log says 'public_discussion'",
            id="a destination the machine does not lead to",
        ),
        pytest.param(
            [logged(1, "submit", "drafting", "visas")],
            r"entry 1: 'submit' before the document was created",
            id="a transition before the creation",
        ),
        pytest.param([], "the log is empty", id="an empty log"),
    ],
)
def test_replay_refuses_a_log_that_cannot_have_happened(draft_versions, log, complaint):
    with pytest.raises(ReplayError, match=complaint):
        replay(draft_versions, log)
