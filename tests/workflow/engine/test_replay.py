"""Replaying the audit log: whatever people try on a draft decision, its visas and committee conclusions, and the
sessions whose agendas it goes on, in whatever order and as the days go by, the log replays to the document's
state, every chain verifies, every refusal leaves no trace, and the outbox holds exactly the effects of the moves
that went through."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, multiple, rule, run_state_machine_as_test
from sqlalchemy import func, select

from tests.conftest import DEFINITIONS, Snapshot, World, snapshot
from workflow.council.catalog import CATALOG
from workflow.council.drafts.guards import RECOMMENDATIONS
from workflow.council.sittings import sessions
from workflow.council.sittings.models import AgendaItem, Vote
from workflow.council.sittings.votes import hold_committee_vote, hold_vote, latest_vote, registered_members
from workflow.db import REGISTRY_KEY
from workflow.definitions.registry import DefinitionRegistry
from workflow.engine import Fired, available_actions, create_document, edit_document, fire
from workflow.engine.audit import CREATE, EDIT, RECORD, ReplayError, replay, verify_document
from workflow.engine.models import AuditEntry, Document, OutboxRow
from workflow.errors import WorkflowError
from workflow.people import Actor, Person

_SHIPPED = DefinitionRegistry.from_directory(DEFINITIONS, CATALOG)
#: every trigger of each definition: most of them are impossible from any one state, and that is the point
DRAFT_TRIGGERS = sorted(_SHIPPED.current("decision_draft").triggers())
VISA_TRIGGERS = sorted(_SHIPPED.current("visa").triggers())
CONCLUSION_TRIGGERS = sorted(_SHIPPED.current("committee_conclusion").triggers())
#: the version of decision_draft new drafts start on
DRAFT_VERSION = _SHIPPED.current("decision_draft").version

#: where a draft usually goes from a state, by whom and with what comment (the first way is the commonest, see
#: `commonest_first`); putting it on an agenda, the council's vote on it and overriding a veto go through a session
USUAL_WAYS = {
    "drafting": [("submit", "author", None)],
    "public_discussion": [("send_to_committees", "secretary", None)],
    "on_agenda": [
        ("adopt", "secretary", None),
        ("postpone", "secretary", "Бракує часу"),
        ("reject", "secretary", None),
    ],
    "postponed": [("put_on_agenda", "secretary", None), ("withdraw", "author", "Питання втратило актуальність")],
    "adopted": [("sign", "mayor", None), ("veto", "mayor", "Суперечить бюджетному кодексу")],
    "vetoed": [
        ("override_veto", "secretary", None),
        ("revise_after_veto", "author", "Врахуємо зауваження мера"),
        ("drop", "secretary", "Рада погодилася з вето"),
    ],
    "signed": [("publish", "secretary", None)],
    "published": [("enter_into_force", "system", None)],
}
DEPARTMENTS = ("legal", "finance")
COMMITTEES = ("budget", "education")
#: a comment, none, and one that is only blanks (which counts as none)
COMMENTS = st.sampled_from([None, "Прошу врахувати зауваження", "   "])
#: days between two things people do: the next day, later that week, after a session's notice, a month on
PAUSES = st.sampled_from([1, 3, 11, 30])
#: a regular session is planned three weeks ahead: past the notice it needs and the draft's 10 working days
REGULAR_NOTICE_DAYS = 21
#: an extraordinary one, called to reconsider a veto, two days ahead
EXTRAORDINARY_NOTICE_DAYS = 2
#: votes for, of the 9 members, that adopt a draft, that do not, and that override a veto or fall short: more than
#: half of the total composition is 5, two thirds of it are 6 (the thresholds and the counts either side of them)
VOTES_FOR = {"adopt": [5, 9, 6], "reject": [4, 0, 3], "override_veto": [6, 5, 9, 4]}


def commonest_first(ways: list[Any]) -> st.SearchStrategy[Any]:
    """One of `ways`, the first at least half of the time: the usual road mostly leads on."""
    return st.one_of(st.just(ways[0]), st.sampled_from(ways))


@dataclass(frozen=True)
class Cast:
    """The people of `world` who act on a draft: its author, the council's officers, reviewers, committee chairs
    and a deputy with nothing to do with this draft (he sits on no committee)."""

    world: World
    author: Actor
    secretary: Actor
    mayor: Actor
    stranger: Actor
    #: department ids by their kind (legal, finance), and each department's reviewer by its id
    departments: dict[str, int]
    reviewers: dict[int, Actor]
    #: committee ids by name (budget, education), each committee's chair and the ids of its members by its id
    committees: dict[str, int]
    chairs: dict[int, Actor]
    members: dict[int, tuple[int, ...]]


@pytest.fixture
def cast(world) -> Cast:
    legal, finance, budget, education = world.legal.id, world.finance.id, world.budget.id, world.education.id
    return Cast(
        world=world,
        author=world.actor(world.staff),
        secretary=world.actor(world.secretary),
        mayor=world.actor(world.mayor),
        stranger=world.actor(world.deputies[7]),
        departments={"legal": legal, "finance": finance},
        reviewers={legal: world.actor(world.lawyer), finance: world.actor(world.accountant)},
        committees={"budget": budget, "education": education},
        chairs={budget: world.actor(world.deputies[0]), education: world.actor(world.deputies[4])},
        members={
            budget: tuple(p.id for p in world.deputies[:4]),  # chair, secretary and two members
            education: tuple(p.id for p in world.deputies[4:7]),  # chair and two members
        },
    )


def entries_of(session, document: Document) -> list[AuditEntry]:
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.document_id == document.id).order_by(AuditEntry.version))
    )


class DraftLife(RuleBasedStateMachine):
    """One draft decision, from creation on, with whatever visas and committee conclusions people ask for, the
    sessions that consider it, and the days going by (the clock starts at the world's day 0)."""

    visas = Bundle("visas")
    conclusions = Bundle("conclusions")

    def __init__(self, session, cast: Cast) -> None:
        super().__init__()
        self.session, self.cast = session, cast
        self.registry = session.info[REGISTRY_KEY]
        # each example in a savepoint of its own, rolled back in teardown: examples never see each other
        self.savepoint = session.begin_nested()
        self.day = 0
        self.sessions_planned = 0
        #: the day each planned session meets, by its document id
        self.session_days: dict[int, int] = {}
        #: the newest audit entry whose moves are accounted for (see `account_for_what_went_through`)
        self.last_accounted = session.scalar(select(func.max(AuditEntry.id))) or 0
        self.draft = create_document(
            session,
            "decision_draft",
            cast.author,
            title="Про ремонт шкільного стадіону",
            fields={"body": "Виділити кошти на ремонт стадіону школи № 3."},
            now=self.now,
        )
        self.documents = [self.draft]
        #: the outbox rows the successful moves asked for, by idempotency key
        self.expected_outbox: set[str] = set()
        #: the database as the last refusal found and left it; None once anything went through since
        self.unchanged_since: Snapshot | None = None

    @property
    def now(self) -> datetime:
        return World.at(self.day)

    def teardown(self) -> None:
        try:
            if sys.exc_info()[1] is None:  # when a step failed, its own error says what went wrong
                self.check_the_log_and_the_outbox()
        finally:
            self.savepoint.rollback()

    # --- time ----------------------------------------------------------------------------------------------------
    @rule(days=PAUSES)
    def time_passes(self, days: int) -> None:
        self.day += days

    # --- the draft ---------------------------------------------------------------------------------------------
    @rule(
        trigger=st.sampled_from(DRAFT_TRIGGERS),
        who=st.sampled_from(["author", "secretary", "mayor", "stranger"]),
        comment=COMMENTS,
    )
    def fire_on_the_draft(self, trigger: str, who: str, comment: str | None) -> None:
        self.attempt_to_fire(self.draft, trigger, self.person(who), comment)

    @rule(data=st.data(), steps=st.integers(min_value=1, max_value=10))
    def the_council_takes_the_usual_next_steps(self, data: st.DataObject, steps: int) -> None:
        """The next steps on one of the usual roads of a draft, children and sessions included (a visa asked for
        and given, a committee's conclusion written, voted, discussed and signed, a session planned with the draft
        on its agenda, convened, opened, its agenda approved and the draft voted on). Random actions seldom go
        that far."""
        for _ in range(steps):
            state = self.draft.state
            if state == "visas":
                self.next_visa_step()
            elif state == "committee_review":
                self.next_committee_step()
            elif state == "on_agenda":
                self.next_step_at_the_session(data)
            elif state in USUAL_WAYS:
                trigger, who, comment = data.draw(commonest_first(USUAL_WAYS[state]), label="way")
                if trigger == "put_on_agenda":
                    self.put_the_draft_on_the_agenda_of_a_new_session()
                elif trigger == "override_veto":
                    self.reconsider_the_veto(data)
                else:  # refused if the text is erased, or the mayor's ten days are over
                    self.attempt_to_fire(self.draft, trigger, self.person(who), comment)

    def next_visa_step(self) -> None:
        visas = self.children("visa")
        awaited = [v for v in visas if v.state == "requested"]
        if awaited:
            self.attempt_to_fire(awaited[0], "give", self.cast.reviewers[awaited[0].fields["department_id"]], None)
        elif any(v.state == "given" for v in visas):
            self.attempt_to_fire(self.draft, "publish_for_discussion", self.cast.secretary, None)
        else:
            self.attempt_to_create("visa", Actor.system(), {"department_id": self.cast.departments["legal"]})

    def next_committee_step(self) -> None:
        assigned = [c for c in self.children("committee_conclusion") if c.state != "cancelled"]
        unsigned = [c for c in assigned if c.state != "signed"]
        if not assigned:
            self.attempt_to_create(
                "committee_conclusion",
                Actor.system(),
                {"committee_id": self.cast.committees["budget"], "recommendation": "support", "body": "Підтримати"},
            )
            return
        if not unsigned:
            self.put_the_draft_on_the_agenda_of_a_new_session()
            return
        conclusion = unsigned[0]
        chair = self.cast.chairs[conclusion.fields["committee_id"]]
        if conclusion.fields.get("recommendation") is None:
            self.attempt(
                lambda: edit_document(
                    self.session,
                    conclusion,
                    chair,
                    fields={"recommendation": "support"},
                    now=self.now,
                )
            )
            return
        if conclusion.state == "prepared" and not self.committee_supports(conclusion):
            self.committee_votes(conclusion, chair, "all for")
            return
        self.attempt_to_fire(conclusion, "sign" if conclusion.state == "discussed" else "discuss", chair, None)

    # --- sessions ------------------------------------------------------------------------------------------------
    def put_the_draft_on_the_agenda_of_a_new_session(self) -> None:
        """The secretary plans the next regular session three weeks ahead, proposes the draft for its agenda (the
        draft's own rules may refuse it) and convenes the session."""
        plenary = self.attempt_and_account(lambda: self.plan_a_session(REGULAR_NOTICE_DAYS))
        if plenary is None:
            return
        item = self.attempt_and_account(
            lambda: sessions.add_to_agenda(
                self.session,
                plenary,
                self.cast.secretary,
                self.draft,
                now=self.now,
            )
        )
        if item is not None:
            self.attempt_to_fire(plenary, "convene", self.cast.secretary, None)

    def next_step_at_the_session(self, data: st.DataObject) -> None:
        """The draft is on a session's agenda: the session's day comes and the sitting opens, the council approves
        the agenda, then votes on the draft or postpones it. Where that session cannot consider the draft any more
        (cancelled, or the item postponed or removed on its own), the secretary acts on the draft itself."""
        item, plenary = self.the_draft_s_agenda_item()
        secretary, everyone = self.cast.secretary, len(self.cast.world.members)
        if (
            item is None
            or plenary is None
            or plenary.state in ("closed", "cancelled")
            or item.state
            not in (
                "proposed",
                "included",
                "considering",
            )
        ):
            trigger, who, comment = data.draw(commonest_first(USUAL_WAYS["on_agenda"]), label="way")
            self.attempt_to_fire(self.draft, trigger, self.person(who), comment)
        elif plenary.state == "planned":
            self.attempt_to_fire(plenary, "convene", secretary, None)
        elif plenary.state == "convened":
            self.day = max(self.day, self.session_days[plenary.id])
            present = data.draw(st.sampled_from([9, 4]), label="members registered")  # 4 of 9 is no quorum
            self.attempt_and_account(lambda: self.open_the_sitting(plenary, present))
        elif item.state == "proposed":
            approved = self.attempt_and_account(
                lambda: sessions.approve_agenda(
                    self.session,
                    plenary,
                    secretary,
                    self.ballots(plenary, everyone),
                    now=self.now,
                )
            )
            if approved is None:  # no quorum: the latecomers come and register
                self.attempt_and_account(lambda: self.register(plenary, self.cast.world.members))
        else:
            outcome, _, reason = data.draw(commonest_first(USUAL_WAYS["on_agenda"]), label="the sitting")
            if outcome == "postpone":
                self.attempt_and_account(
                    lambda: sessions.postpone_item(
                        self.session,
                        item,
                        secretary,
                        reason,
                        now=self.now,
                    )
                )
                return
            votes_for = data.draw(st.sampled_from(VOTES_FOR[outcome]), label="votes for")
            # considering the item, the vote, the item's outcome and the draft's: one request, all or nothing
            self.attempt_as_one_request(
                lambda: sessions.vote_on_item(
                    self.session,
                    plenary,
                    secretary,
                    item,
                    self.ballots(plenary, votes_for),
                    now=self.now,
                )
            )

    def reconsider_the_veto(self, data: st.DataObject) -> None:
        """An extraordinary session two days later reconsiders the vetoed decision: two thirds of the total
        composition (6 of 9) override the veto, and then the secretary records that."""
        votes_for = data.draw(st.sampled_from(VOTES_FOR["override_veto"]), label="votes to override")
        secretary, everyone = self.cast.secretary, len(self.cast.world.members)

        def sitting() -> Vote:
            plenary = self.plan_a_session(EXTRAORDINARY_NOTICE_DAYS, kind="extraordinary")
            item = create_document(
                self.session,
                "agenda_item",
                secretary,
                parent=plenary,
                title=f"Про подолання вето на рішення «{self.draft.title}»",
                fields={"position": 1},
                now=self.now,
            )
            self.session.add(AgendaItem(document_id=item.id, session_id=plenary.id, position=1))
            self.session.flush()
            fire(self.session, plenary, "convene", secretary, now=self.now)
            self.day = self.session_days[plenary.id]
            self.open_the_sitting(plenary, everyone)
            sessions.approve_agenda(
                self.session,
                plenary,
                secretary,
                self.ballots(plenary, everyone),
                now=self.now,
            )
            return hold_vote(
                self.session,
                plenary,
                secretary,
                purpose="veto_override",
                subject=self.draft,
                threshold="two_thirds",
                question=f"Про подолання вето на рішення «{self.draft.title}»",
                ballots=self.ballots(plenary, votes_for),
                now=self.now,
            )

        if self.attempt_as_one_request(sitting) is not None:
            self.attempt_to_fire(self.draft, "override_veto", secretary, None)  # refused short of two thirds

    def plan_a_session(self, days_ahead: int, kind: str = "regular") -> Document:
        self.sessions_planned += 1
        plenary = sessions.plan_session(
            self.session,
            self.cast.secretary,
            number=self.sessions_planned,
            starts_at=World.at(self.day + days_ahead),
            place="Сесійна зала, пл. Свободи, 1",
            kind=kind,
            now=self.now,
        )
        self.session_days[plenary.id] = self.day + days_ahead
        return plenary

    def open_the_sitting(self, plenary: Document, present: int) -> Document:
        fire(self.session, plenary, "open", self.cast.secretary, now=self.now)
        return self.register(plenary, self.cast.world.members[:present])

    def register(self, plenary: Document, people: list[Person]) -> Document:
        for person in people:
            sessions.register(self.session, plenary, self.cast.secretary, person, now=self.now)
        return plenary

    def ballots(self, plenary: Document, votes_for: int) -> dict[int, str]:
        """The registered members vote: the first `votes_for` of them for, the others against."""
        present = sorted(registered_members(self.session, plenary.id))
        return {person: "for" if i < votes_for else "against" for i, person in enumerate(present)}

    def the_draft_s_agenda_item(self) -> tuple[Document | None, Document | None]:
        """The draft's newest agenda item, and the session whose agenda it is on."""
        item = self.session.scalar(
            select(AgendaItem)
            .where(AgendaItem.draft_id == self.draft.id)
            .order_by(AgendaItem.document_id.desc())
            .limit(1)
        )
        if item is None:
            return None, None
        return self.session.get(Document, item.document_id), self.session.get(Document, item.session_id)

    # --- edits -----------------------------------------------------------------------------------------------------
    @rule(
        who=st.sampled_from(["author", "secretary", "stranger"]),
        title=st.sampled_from([None, "", "Про капітальний ремонт стадіону"]),
        body=st.sampled_from(["", "Виділити 2 млн грн на ремонт стадіону."]),
    )
    def edit_the_draft(self, who: str, title: str | None, body: str) -> None:
        self.attempt(
            lambda: edit_document(
                self.session,
                self.draft,
                self.person(who),
                title=title,
                fields={"body": body},
                now=self.now,
            )
        )

    # --- visas -------------------------------------------------------------------------------------------------
    @rule(
        target=visas,
        department=st.sampled_from(DEPARTMENTS),
        who=st.sampled_from(["system", "secretary", "stranger"]),
    )
    def ask_for_a_visa(self, department: str, who: str):
        return self.attempt_to_create("visa", self.person(who), {"department_id": self.cast.departments[department]})

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
    def assign_a_committee(self, committee: str, recommendation: str | None, who: str):
        fields = {"committee_id": self.cast.committees[committee], "body": "Підтримати з урахуванням зауважень"}
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
        self.attempt(
            lambda: edit_document(
                self.session,
                conclusion,
                actor,
                fields={"recommendation": recommendation},
                now=self.now,
            )
        )

    @rule(
        conclusion=conclusions,
        who=st.sampled_from(["its chair", "another chair", "secretary", "stranger"]),
        how=st.sampled_from(["all for", "split", "without quorum"]),
    )
    def the_committee_votes(self, conclusion: Document, who: str, how: str) -> None:
        self.committee_votes(conclusion, self.chair(conclusion, who) or self.person(who), how)

    @rule(
        conclusion=conclusions,
        trigger=st.sampled_from(CONCLUSION_TRIGGERS),
        who=st.sampled_from(["its chair", "another chair", "secretary", "stranger"]),
        comment=COMMENTS,
    )
    def move_a_conclusion(self, conclusion: Document, trigger: str, who: str, comment: str | None) -> None:
        actor = self.chair(conclusion, who) or self.person(who)
        self.attempt_to_fire(conclusion, trigger, actor, comment)

    def committee_votes(self, conclusion: Document, actor: Actor, how: str) -> None:
        """The committee votes on its conclusion: all its members for, split with no majority, or with only one
        member there (no quorum, refused)."""
        members = self.cast.members[conclusion.fields["committee_id"]]
        ballots = {
            "all for": dict.fromkeys(members, "for"),
            "split": {m: "for" if i < len(members) // 2 else "against" for i, m in enumerate(members)},
            "without quorum": {members[0]: "for"},
        }[how]
        self.attempt(
            lambda: hold_committee_vote(
                self.session,
                conclusion,
                actor,
                ballots=ballots,
                question="Підтримати проєкт рішення",
                now=self.now,
            )
        )

    def committee_supports(self, conclusion: Document) -> bool:
        vote = latest_vote(self.session, conclusion.id, "conclusion")
        return vote is not None and vote.result == "adopted"

    # --- any document --------------------------------------------------------------------------------------------
    @rule(data=st.data())
    def press_a_button_the_page_offers(self, data: st.DataObject) -> None:
        """Someone involved presses an enabled button, and what the page offers as allowed goes through."""
        document = data.draw(st.sampled_from(self.documents), label="document")
        actor = data.draw(st.sampled_from(self.involved(document)), label="who")
        offered = [a for a in available_actions(self.session, document, actor, now=self.now) if a.allowed]
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
        if document.kind in ("session", "agenda_item"):
            return [cast.secretary, cast.mayor, Actor.system()]  # the mayor chairs the sitting
        return [cast.author, cast.secretary, cast.mayor]

    def chair(self, conclusion: Document, who: str) -> Actor | None:
        committee = conclusion.fields["committee_id"]
        if who == "its chair":
            return self.cast.chairs[committee]
        if who == "another chair":
            return next(c for k, c in self.cast.chairs.items() if k != committee)
        return None

    def attempt(self, action: Callable[[], Any]) -> Any:
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

    def attempt_and_account(self, action: Callable[[], Any]) -> Any:
        """A domain operation that refuses before it writes anything: `attempt` it, and account for its moves."""
        result = self.attempt(action)
        # a refusal wrote no moves, and an operation that returns nothing (postponing an item) may have made some
        self.account_for_what_went_through()
        return result

    def attempt_as_one_request(self, action: Callable[[], Any]) -> Any:
        """A domain operation of several moves, which may be refused after some of them: as the request that runs
        it would, roll all of it back then (the operations never commit; their caller's boundary does)."""
        before = self.unchanged_since or snapshot(self.session)
        self.unchanged_since = None
        request = self.session.begin_nested()
        try:
            result = action()
        except WorkflowError:
            request.rollback()
            self.session.expire_all()  # the engine updated loaded documents in place: load them again
            assert snapshot(self.session) == before, "a refused request left a trace"
            self.unchanged_since = before
            return None
        request.commit()
        self.account_for_what_went_through()
        return result

    def account_for_what_went_through(self) -> None:
        """After a domain operation: each move it made is one its machine makes, with that move's effects expected
        in the outbox, and the documents it created are checked at the end with the others."""
        known = {d.id for d in self.documents}
        self.documents += self.session.scalars(
            select(Document).where(Document.id.not_in(known)).order_by(Document.id)
        ).all()
        for entry in self.session.scalars(
            select(AuditEntry).where(AuditEntry.id > self.last_accounted).order_by(AuditEntry.id)
        ):
            self.last_accounted = entry.id
            if entry.trigger in (CREATE, EDIT, RECORD):
                continue
            move = self.compiled(self.session.get(Document, entry.document_id)).move(entry.from_state, entry.trigger)
            assert move is not None, f"{entry.trigger!r} is not possible from {entry.from_state!r}"
            assert move.dest == entry.to_state
            self.expected_outbox |= {f"{entry.document_id}:{entry.version}:{i}" for i in range(len(move.outbox_rows))}

    def attempt_to_fire(self, document: Document, trigger: str, actor: Actor, comment: str | None) -> None:
        state = document.state
        fired: Fired | None = self.attempt(
            lambda: fire(self.session, document, trigger, actor, comment=comment, now=self.now)
        )
        if fired is not None:
            self.moved(document, state, trigger, fired)
            self.account_for_what_went_through()  # the moves its consequences made (a parent moved)

    def expect_to_fire(self, document: Document, trigger: str, actor: Actor, comment: str | None) -> None:
        state = document.state
        self.unchanged_since = None
        fired = fire(self.session, document, trigger, actor, comment=comment, now=self.now)
        self.moved(document, state, trigger, fired)
        self.account_for_what_went_through()  # the moves its consequences made (a parent moved)

    def moved(self, document: Document, state: str, trigger: str, fired: Fired) -> None:
        assert (fired.from_state, fired.to_state) == (state, self.compiled(document).move(state, trigger).dest)
        self.expected_outbox |= {f"{document.id}:{fired.version}:{i}" for i in range(len(fired.effects))}

    def attempt_to_create(self, kind: str, actor: Actor, fields: dict[str, object]):
        child = self.attempt(
            lambda: create_document(
                self.session,
                kind,
                actor,
                parent=self.draft,
                fields=fields,
                now=self.now,
            )
        )
        if child is None:
            return multiple()
        self.documents.append(child)
        return child


def test_any_sequence_of_actions_replays_verifies_and_leaves_refusals_without_trace(session, cast):
    # the fixtures are made once for the whole run; each example isolates itself in a savepoint of its own
    run_state_machine_as_test(
        lambda: DraftLife(session, cast),
        settings=settings(max_examples=50, stateful_step_count=20, deadline=None),
    )


# --- replay on a log that cannot have happened ---------------------------------------------------------------
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def logged(version: int, trigger: str, from_state: str | None, to_state: str, **data: object) -> AuditEntry:
    """An audit entry as it would be read back (hashes do not matter to replay)."""
    return AuditEntry(
        document_id=1,
        version=version,
        at=MONDAY,
        actor_id=None,
        trigger=trigger,
        from_state=from_state,
        to_state=to_state,
        comment=None,
        data=data,
        prev_hash="",
        hash="",
    )


@pytest.fixture
def draft_versions(registry):
    return {DRAFT_VERSION: registry.get("decision_draft", DRAFT_VERSION)}


def test_a_log_replays_to_where_it_leads(draft_versions):
    log = [
        logged(1, "create", None, "drafting", definition_version=DRAFT_VERSION),
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
                logged(1, "create", None, "drafting", definition_version=DRAFT_VERSION),
                logged(2, "adopt", "drafting", "adopted"),
            ],
            r"entry 2: 'adopt' is not possible from 'drafting'",
            id="a trigger not possible from the replayed state",
        ),
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=DRAFT_VERSION),
                logged(2, "adopt", "on_agenda", "adopted"),
            ],
            r"entry 2: it starts from 'on_agenda', replay is in 'drafting'",
            id="an entry starting from another state than the replay is in",
        ),
        pytest.param(
            [
                logged(1, "create", None, "drafting", definition_version=DRAFT_VERSION),
                logged(2, "create", None, "drafting", definition_version=DRAFT_VERSION),
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
                logged(1, "create", None, "drafting", definition_version=DRAFT_VERSION),
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
