"""`radaflow seed demo`: a realistic council to try Radaflow with, built the way the council itself would build it.

Everything goes through the council's operations and the engine — drafts are written, visaed, published,
reviewed by committees, put on agendas, voted by roll call, signed or vetoed, numbered and published — so every
document's history is a real, verifiable audit log. Dates are counted back from `today` so that the law's
deadlines hold: two sessions in the last two months, the next one about two weeks ahead, already convened.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from demo import demo_data as data
from workflow.calendar import is_working_day
from workflow.council.drafts import drafts
from workflow.council.effects import HANDLERS
from workflow.council.law import KYIV
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.council.organisation.models import Committee, Council, Department
from workflow.council.organisation.queries import council_members
from workflow.council.sittings import sessions
from workflow.council.sittings.models import Decision, PlenarySession, Vote
from workflow.council.sittings.votes import hold_committee_vote, hold_vote
from workflow.engine import edit_document, fire
from workflow.engine.models import Document
from workflow.engine.outbox import carry_out
from workflow.errors import Conflict
from workflow.i18n import N_, local_date
from workflow.people import Actor, Person, load_actor

#: Decisions of the convocation before the demo's first session were numbered on paper; Radaflow continues.
FIRST_DECISION_NUMBER = 2131
#: the numbers of the two past sessions and the upcoming one within the convocation
SESSION_NUMBERS = (57, 58, 59)

#: votes "for", "against", "abstain"; registered members left over did not vote
Tally = tuple[int, int, int]


class CouncilExists(Conflict):
    """The database already has a council: the demo is seeded only into an empty one."""


@dataclass(frozen=True)
class DemoAccount:
    #: who the account is, as README.md's "Try it" table names it (for every person: their principal role)
    role: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoSummary:
    council: str
    members: int
    committees: int
    departments: int
    #: (number, date, state) of each plenary session, in order
    sessions: tuple[tuple[int, date, str], ...]
    drafts: int
    decisions: int
    votes: int
    messages: int
    #: every demo person's account
    accounts: tuple[DemoAccount, ...]
    #: one account of each kind, to try the system as
    featured: tuple[DemoAccount, ...]


def seed_demo(session: Session, *, today: date) -> DemoSummary:
    """Load the demo council into a database that has none; flushes, never commits.

    Refuses (`CouncilExists`, or `Conflict` when a demo e-mail is taken) before writing anything.
    """
    council = session.scalar(select(Council).order_by(Council.id).limit(1))
    if council is not None:
        raise CouncilExists(
            "demo.council_exists",
            N_("the database already has a council ({name}); the demo is loaded only into an empty one"),
            name=council.name,
        )
    taken = session.scalars(select(Person.email).where(Person.email.in_(_all_emails())).order_by(Person.email)).all()
    if taken:
        raise Conflict(
            "demo.demo_e_mail_addresses",
            N_("demo e-mail addresses already belong to someone: {value}"),
            value=", ".join(e for e in taken if e),
        )
    demo = _Demo(session, today)
    demo.set_up()
    demo.past_sessions()
    demo.upcoming_session()
    demo.citizen_messages()
    return demo.summary()


def email(key: str) -> str:
    return f"{key}@{data.EMAIL_DOMAIN}"


def _all_emails() -> list[str]:
    people = [
        data.MAYOR,
        *data.DEPUTIES,
        *[(n, k) for n, k, _ in data.REVIEWERS],
        *data.STAFF,
        data.ADMIN,
        *data.CITIZENS,
    ]
    return [email(key) for _name, key in people]


def _working_day_from(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


class _Demo:
    """The scenario, step by step; `at(days, hh, mm)` is a moment `days` after today, Kyiv time."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.today = today
        self.rng = random.Random(f"radaflow-demo-{today.isoformat()}")
        self.people: dict[str, Person] = {}
        self.passwords: dict[str, tuple[str, str]] = {}  # key -> (principal role, password)
        self._hashes: dict[str, str] = {}
        self._actors: dict[str, Actor] = {}
        self.committees: dict[str, Committee] = {}
        self.drafts: dict[str, Document] = {}
        #: draft key -> its author's key
        self.authors: dict[str, str] = {}

    # --- time and people ---------------------------------------------------------------------------------------
    def at(self, days: int, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=days), time(hour, minute), tzinfo=KYIV)

    def offset(self, day: date) -> int:
        return (day - self.today).days

    def actor(self, key: str) -> Actor:
        if key not in self._actors:
            self._actors[key] = load_actor(self.session, self.people[key].id, self.at(0))
        return self._actors[key]

    @property
    def secretary(self) -> Actor:
        return self.actor(data.SECRETARY)

    @property
    def mayor(self) -> Actor:
        return self.actor(data.MAYOR[1])

    def _person(self, full_name: str, key: str, principal: str, roles: Iterable[str] = ()) -> Person:
        password = data.PASSWORDS[principal]
        # The demo's passwords are public (README.md), and argon2 is slow on purpose: each distinct password is
        # hashed once and its hash shared by everyone who has that password.
        known = self._hashes.get(password)
        person = setup.add_person(
            self.session, full_name, email=email(key), password=None if known else password, roles=roles
        )
        if known is None:
            assert person.password_hash is not None
            self._hashes[password] = person.password_hash
        else:
            person.password_hash = known
        self.people[key] = person
        self.passwords[key] = (principal, password)
        return person

    # --- the council, its people, committees and departments ---------------------------------------------------
    def set_up(self) -> None:
        council = setup.create_council(
            self.session,
            name=data.COUNCIL_NAME,
            name_en=data.COUNCIL_NAME_EN,
            convocation=data.CONVOCATION,
            total_composition=len(data.DEPUTIES) + 1,
        )
        council.next_decision_number = FIRST_DECISION_NUMBER
        self.council = council
        self._person(*data.MAYOR, "mayor", ("mayor",))
        chairs = {c.chair for c in data.COMMITTEES}
        for name, key in data.DEPUTIES:
            if key == data.SECRETARY:
                self._person(name, key, "secretary", ("deputy", "secretary"))
            else:
                self._person(name, key, "chair" if key in chairs else "deputy", ("deputy",))
        for name, key, kind in data.REVIEWERS:
            self._person(name, key, kind)
        for name, key in data.STAFF:
            self._person(name, key, "staff", ("staff",))
        self._person(*data.ADMIN, "admin", ("admin",))
        for name, key in data.CITIZENS:
            self._person(name, key, "citizen", ("citizen",))
        for c in data.COMMITTEES:
            self.committees[c.key] = setup.add_committee(
                self.session,
                council,
                c.name,
                name_en=c.name_en,
                chair=self.people[c.chair],
                secretary=self.people[c.secretary],
                members=[self.people[m] for m in c.members],
            )
        for name, kind in ((data.LEGAL_DEPARTMENT, "legal"), (data.FINANCE_DEPARTMENT, "finance")):
            reviewers = [self.people[key] for _n, key, k in data.REVIEWERS if k == kind]
            setup.add_department(self.session, council, name, kind, reviewers=reviewers)
        self.reviewer = {kind: next(key for _n, key, k in data.REVIEWERS if k == kind) for kind in ("legal", "finance")}

    # --- a draft's way to the session ----------------------------------------------------------------------------
    def write(self, key: str, spec: data.DraftData, day: int) -> Document:
        lead = self.committees[spec.committees[0]]
        draft = drafts.write_draft(
            self.session,
            self.actor(spec.author),
            spec.title,
            data.draft_body(spec, lead.name),
            now=self.at(day, 9, 15),
        )
        self.drafts[key] = draft
        self.authors[key] = spec.author
        return draft

    def submit(self, key: str, spec: data.DraftData, day: int) -> dict[str, Document]:
        visas = drafts.submit_draft(self.session, self.drafts[key], self.actor(spec.author), now=self.at(day, 16))
        return {str(visa.fields["department_kind"]): visa for visa in visas}

    def give(self, visa: Document, day: int, hour: int = 11) -> None:
        kind = str(visa.fields["department_kind"])
        fire(self.session, visa, "give", self.actor(self.reviewer[kind]), now=self.at(day, hour))

    def published(self, key: str, spec: data.DraftData, day: int) -> Document:
        """Written three days before `day`, visaed by both departments, published for discussion on `day`."""
        draft = self.write(key, spec, day - 3)
        for visa in self.submit(key, spec, day - 3).values():
            self.give(visa, day - 1, 11 if visa.fields["department_kind"] == "legal" else 14)
        fire(self.session, draft, "publish_for_discussion", self.actor(spec.author), now=self.at(day, 9))
        return draft

    def to_committees(self, key: str, spec: data.DraftData, day: int) -> list[Document]:
        lead, *advisory = (self.committees[c] for c in spec.committees)
        return drafts.send_to_committees(
            self.session, self.drafts[key], self.secretary, lead, advisory, now=self.at(day, 11)
        )

    def conclude(self, conclusion: Document, recommendation: str, day: int, *, send_back: str | None = None) -> None:
        """The committee meets: its chair writes the conclusion, the committee votes, the chair signs.

        With `send_back`, the committee first meets three days earlier, and its chair sends the discussed
        conclusion back for more work the next day; the committee goes through it again on `day`.
        """
        committee = next(c for c in data.COMMITTEES if self.committees[c.key].id == conclusion.fields["committee_id"])
        chair = self.actor(committee.chair)
        body = _CONCLUSIONS[recommendation]
        meetings = [day - 3, day] if send_back else [day]
        for meeting in meetings:
            edit_document(
                self.session,
                conclusion,
                chair,
                fields={"recommendation": recommendation, "body": body},
                now=self.at(meeting, 14),
            )
            hold_committee_vote(
                self.session,
                conclusion,
                chair,
                ballots=self.committee_ballots(committee),
                question=f"Про висновок щодо проєкту рішення «{self.draft_title(conclusion)}»",
                now=self.at(meeting, 14, 30),
            )
            fire(self.session, conclusion, "discuss", chair, now=self.at(meeting, 14, 40))
            if meeting != day:
                fire(self.session, conclusion, "send_back", chair, comment=send_back, now=self.at(meeting + 1, 9))
                body += " " + _AFTER_SEND_BACK
        fire(self.session, conclusion, "sign", chair, now=self.at(day, 16))

    def draft_title(self, child: Document) -> str:
        parent = self.session.get(Document, child.parent_id)
        return parent.title if parent is not None else child.title

    def reviewed(self, key: str, spec: data.DraftData, published: int, reviewed: int) -> Document:
        """Published on day `published`, sent to its committees, every conclusion signed on day `reviewed`."""
        draft = self.published(key, spec, published)
        for conclusion in self.to_committees(key, spec, reviewed - 3):
            self.conclude(conclusion, spec.recommendation, reviewed)
        return draft

    # --- votes ---------------------------------------------------------------------------------------------------
    def committee_ballots(self, committee: data.CommitteeData) -> dict[int, str]:
        ballots = {self.people[k].id: "for" for k in (committee.chair, committee.secretary, *committee.members)}
        others = list(committee.members)
        if self.rng.random() < 0.4:
            ballots[self.people[others.pop(self.rng.randrange(len(others)))].id] = "absent"
        if self.rng.random() < 0.3:
            ballots[self.people[others.pop(self.rng.randrange(len(others)))].id] = "abstain"
        return ballots

    def ballots(self, present: Sequence[int], tally: Tally, *, mayor: str | None = None) -> dict[int, str]:
        """The tally spread over the registered members at random; the rest of them did not vote."""
        voters = list(present)
        ballots: dict[int, str] = {}
        if mayor is not None:
            voters.remove(self.people[data.MAYOR[1]].id)
            ballots[self.people[data.MAYOR[1]].id] = mayor
        self.rng.shuffle(voters)
        choices = ["for"] * tally[0] + ["against"] * tally[1] + ["abstain"] * tally[2]
        if len(choices) > len(voters):
            raise ValueError(f"a tally of {len(choices)} ballots for {len(voters)} voters")
        ballots.update({voters[i]: choice for i, choice in enumerate(choices)})
        return ballots

    # --- the two past sessions -----------------------------------------------------------------------------------
    def past_sessions(self) -> None:
        first = self.offset(_working_day_from(self.today - timedelta(days=42)))
        second = self.offset(_working_day_from(self.today - timedelta(days=21)))
        specs = data.past_drafts((self.today + timedelta(days=first)).year)
        self.hold_session(
            SESSION_NUMBERS[0],
            first,
            specs,
            absent=("d.kovalchuk", "h.karpenko", "kh.fedoruk"),
            agenda=(21, 0, 2),
            items={
                "budget_changes": (20, 2, 1),
                "education_programme": (23, 0, 1),
                "detailed_plan": (9, 7, 6),
                "property_tax": (15, 6, 3),
                "housing_repairs": (22, 0, 2),
            },
        )
        self.after_session(first, ("budget_changes", "education_programme", "housing_repairs"), in_force=True)
        fire(self.session, self.drafts["property_tax"], "veto", self.mayor, comment=_VETO, now=self.at(first + 4, 12))
        self.hold_session(
            SESSION_NUMBERS[1],
            second,
            specs,
            absent=("t.demchenko", "m.kostenko", "v.levchenko", "i.savchenko"),
            agenda=(20, 0, 2),
            override=("property_tax", (19, 2, 1)),
            items={
                "land_lease": (17, 3, 2),
                "participation_budget": (22, 0, 1),
                "premises_sale": (8, 10, 4),
                "budget_report": (19, 1, 3),
                "sports_programme": _POSTPONED,
            },
        )
        self.publish(self.drafts["property_tax"], second + 1)
        self.after_session(second, ("land_lease", "participation_budget", "budget_report"), in_force=False)

    def hold_session(
        self,
        number: int,
        day: int,
        specs: Mapping[str, data.DraftData],
        *,
        absent: Sequence[str],
        agenda: Tally,
        items: Mapping[str, Tally | str],
        override: tuple[str, Tally] | None = None,
    ) -> Document:
        """Drafts prepared over the month before, the session planned and convened, held, voted and closed."""
        for key in items:
            self.reviewed(key, specs[key], published=day - 32, reviewed=day - 15)
        plenary = sessions.plan_session(
            self.session,
            self.secretary,
            number=number,
            starts_at=self.at(day, 10),
            place=data.PLACE,
            now=self.at(day - 25, 12),
        )
        agenda_items = {
            key: sessions.add_to_agenda(
                self.session,
                plenary,
                self.secretary,
                self.drafts[key],
                reporter=self.people[specs[key].author],
                now=self.at(day - 13, 10, i),
            )
            for i, key in enumerate(items)
        }
        fire(self.session, plenary, "convene", self.secretary, now=self.at(day - 12, 12))
        absent_ids = {self.people[key].id for key in absent}
        present = [p for p in council_members(self.session, self.at(day)) if p not in absent_ids]
        for i, person_id in enumerate(present):
            person = self.session.get(Person, person_id)
            assert person is not None
            sessions.register(self.session, plenary, self.secretary, person, now=self.at(day, 9, 30 + i))
        fire(self.session, plenary, "open", self.mayor, now=self.at(day, 10))
        sessions.approve_agenda(
            self.session, plenary, self.secretary, self.ballots(present, agenda), now=self.at(day, 10, 5)
        )
        minute = 10
        if override is not None:
            key, tally = override
            draft = self.drafts[key]
            hold_vote(
                self.session,
                plenary,
                self.secretary,
                purpose="veto_override",
                subject=draft,
                threshold="two_thirds",
                question=f"Про подолання вето міського голови на рішення «{draft.title}»",
                ballots=self.ballots(present, tally, mayor="against"),
                now=self.at(day, 10, minute),
            )
            fire(self.session, draft, "override_veto", self.secretary, now=self.at(day, 10, minute + 1))
            carry_out(self.session, HANDLERS, now=self.at(day, 10, minute + 1))
        for key, outcome in items.items():
            minute += 20
            moment = self.at(day, 10 + minute // 60, minute % 60)
            if isinstance(outcome, str):
                sessions.postpone_item(self.session, agenda_items[key], self.secretary, outcome, now=moment)
            else:
                sessions.vote_on_item(
                    self.session, plenary, self.secretary, agenda_items[key], self.ballots(present, outcome), now=moment
                )
        protocol = sessions.close_session(self.session, plenary, self.mayor, now=self.at(day, 14))
        fire(self.session, protocol, "check", self.secretary, now=self.at(day + 2, 11))
        fire(self.session, protocol, "sign", self.mayor, now=self.at(day + 3, 12))
        fire(self.session, protocol, "publish", self.secretary, now=self.at(day + 4, 9))
        return plenary

    def after_session(self, day: int, adopted: Sequence[str], *, in_force: bool) -> None:
        """The mayor signs the adopted decisions, they are numbered and published (and enter into force)."""
        for key in adopted:
            fire(self.session, self.drafts[key], "sign", self.mayor, now=self.at(day + 2, 15))
        carry_out(self.session, HANDLERS, now=self.at(day + 2, 15, 5))
        for key in adopted:
            self.publish(self.drafts[key], day + 3)
            if in_force:
                fire(self.session, self.drafts[key], "enter_into_force", self.secretary, now=self.at(day + 3, 17))

    def publish(self, draft: Document, day: int) -> None:
        fire(self.session, draft, "publish", self.secretary, now=self.at(day, 9, 30))

    # --- the upcoming session and the drafts on their way to it ----------------------------------------------------
    def upcoming_session(self) -> None:
        day = self.offset(_working_day_from(self.today + timedelta(days=14)))
        specs = data.upcoming_drafts(self.today.year)
        on_agenda = ("rules_of_procedure", "landscaping_programme", "land_valuation")
        for key in on_agenda:
            self.reviewed(key, specs[key], published=-27, reviewed=-8)

        # committee review: the lead committee sent its conclusion back once, then signed; the other still works
        self.published("displaced_support", specs["displaced_support"], -20)
        lead, advisory = self.to_committees("displaced_support", specs["displaced_support"], -12)
        self.conclude(lead, "support", -5, send_back=_SEND_BACK)
        member = next(c for c in data.COMMITTEES if c.key == specs["displaced_support"].committees[1]).members[0]
        edit_document(self.session, advisory, self.actor(member), fields={"body": _ADVISORY_DRAFT}, now=self.at(-4, 15))
        self.published("school_transfer", specs["school_transfer"], -15)
        self.to_committees("school_transfer", specs["school_transfer"], -5)

        self.published("landscaping_rules", specs["landscaping_rules"], -8)  # public discussion

        self.write("second_budget_changes", specs["second_budget_changes"], -3)  # awaiting visas: finance gave
        self.give(self.submit("second_budget_changes", specs["second_budget_changes"], -2)["finance"], -1)

        self.write("kiosks", specs["kiosks"], -8)  # returned with remarks by the legal department
        visas = self.submit("kiosks", specs["kiosks"], -7)
        self.give(visas["finance"], -6)
        fire(
            self.session,
            visas["legal"],
            "return",
            self.actor(self.reviewer["legal"]),
            comment=_REMARKS,
            now=self.at(-5, 12),
        )
        carry_out(self.session, HANDLERS, now=self.at(-5, 12, 1))

        self.write("crossings", specs["crossings"], -1)  # a deputy's draft, still being written

        plenary = sessions.plan_session(
            self.session,
            self.secretary,
            number=SESSION_NUMBERS[2],
            starts_at=self.at(day, 10),
            place=data.PLACE,
            now=self.at(-9, 12),
        )
        for i, key in enumerate(("sports_programme", *on_agenda)):
            sessions.add_to_agenda(
                self.session,
                plenary,
                self.secretary,
                self.drafts[key],
                reporter=self.people[self.authors[key]],
                now=self.at(-3, 10, i),
            )
        fire(self.session, plenary, "convene", self.secretary, now=self.at(-2, 12))

    # --- citizens write to their deputies ----------------------------------------------------------------------
    def citizen_messages(self) -> None:
        for key, day in (("bus_stop", -20), ("kindergarten", -6), ("lighting", -1)):
            message = data.MESSAGES[key]
            deputy = self.actor(message.deputy)
            document = messages.write_to_deputy(
                self.session,
                self.actor(message.citizen),
                self.people[message.deputy],
                message.subject,
                message.body,
                now=self.at(day, 19, 40),
            )
            if key == "lighting":
                continue  # not read yet
            messages.read_message(self.session, document, deputy, now=self.at(day + 1, 8, 50))
            if message.answer is not None:
                messages.answer(self.session, document, deputy, message.answer, public=True, now=self.at(day + 5, 17))

    # --- what was built --------------------------------------------------------------------------------------------
    def summary(self) -> DemoSummary:
        def count(column: Any) -> int:
            return self.session.scalar(select(func.count(column))) or 0

        def documents(kind: str) -> int:
            return self.session.scalar(select(func.count(Document.id)).where(Document.kind == kind)) or 0

        plenaries = self.session.execute(
            select(PlenarySession.number, PlenarySession.starts_at, Document.state)
            .join(Document, Document.id == PlenarySession.document_id)
            .order_by(PlenarySession.number)
        ).all()
        accounts = tuple(DemoAccount(role, email(key), password) for key, (role, password) in self.passwords.items())
        return DemoSummary(
            council=self.council.name,
            members=len(council_members(self.session, self.at(0))),
            committees=count(Committee.id),
            departments=count(Department.id),
            sessions=tuple((number, local_date(starts), state) for number, starts, state in plenaries),
            drafts=documents("decision_draft"),
            decisions=count(Decision.id),
            votes=count(Vote.id),
            messages=documents("citizen_message"),
            accounts=accounts,
            featured=tuple(DemoAccount(role, email(key), data.PASSWORDS[pw]) for role, key, pw in data.FEATURED),
        )


_POSTPONED = "На пропозицію доповідача: фінансове управління уточнює обсяги фінансування Програми."
_VETO = (
    "Рішення прийнято без аналізу регуляторного впливу, якого вимагає Закон України «Про засади державної "
    "регуляторної політики у сфері господарської діяльності»; нові ставки погіршують умови для малого бізнесу."
)
_SEND_BACK = "Додайте до висновку розрахунок потреби в коштах від фінансового управління та джерела фінансування."
_REMARKS = (
    "Пункт 4 Порядку суперечить наказу Мінрегіону від 21.10.2011 № 244: строк дії паспорта привʼязки не може "
    "обмежуватися одним роком. Приведіть проєкт у відповідність і подайте повторно."
)
_CONCLUSIONS = {
    "support": "Рекомендувати міській раді підтримати проєкт рішення та прийняти його в цілому.",
    "support_with_amendments": (
        "Рекомендувати підтримати проєкт рішення з урахуванням пропозицій комісії: зменшити щільність забудови "
        "та передбачити на території заклад дошкільної освіти."
    ),
    "reject": (
        "Рекомендувати міській раді не підтримувати проєкт рішення: у приміщенні працює центр надання "
        "адміністративних послуг, іншого приміщення для нього громада не має."
    ),
}
_AFTER_SEND_BACK = "Потребу в коштах (3 480 000 грн) підтверджено розрахунком фінансового управління."
_ADVISORY_DRAFT = "Проєкт висновку: підтримати; уточнити перелік закладів освіти, що беруть участь у Програмі."
