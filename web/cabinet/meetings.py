"""A committee meeting's page: its agenda (the papers considered), its members' attendance and quorum, the
conclusion on each paper — written by the chair, voted by the members present, signed by the chair — and the
protocol once it is closed. The chair and the secretary act here; the committee's members read it.

Every post does one operation of the domain; a refusal shows the page again with the reason and changes
nothing (the request's transaction is rolled back)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound as PageNotFound

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.committee_forms import CHOICE_TITLES, RECOMMENDATION_TITLES, ROLE_TITLES
from web.cabinet.committees import committee_for, state_title
from web.cabinet.presenting import local, title_of
from web.database import db
from web.errors import status_of
from web.i18n import say
from web.ids import parse_ids
from workflow import limits
from workflow.council.committees import conclusions, meetings
from workflow.council.committees.queries import referred_drafts
from workflow.council.discussion import discussion
from workflow.council.organisation.queries import committee_members
from workflow.council.sittings.models import Vote
from workflow.council.sittings.votes import ballots_of, vote_reason
from workflow.engine import available_actions
from workflow.engine.models import Document
from workflow.errors import InvalidInput, WorkflowError
from workflow.files import list_files
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import utcnow


@dataclass(frozen=True)
class Ballot:
    name: str
    choice: str


@dataclass(frozen=True)
class Held:
    """A vote held at the meeting, as the page shows it."""

    adopted: bool
    reason: str
    moment: str
    ballots: tuple[Ballot, ...]


@dataclass(frozen=True)
class Paper:
    """A paper on the agenda: the conclusion on a draft and what may be done with it now."""

    number: int
    conclusion: Document
    draft: Document | None
    lead: bool
    stage: str
    recommendation: str | None
    votes: tuple[Held, ...]
    may_write: bool
    may_vote: bool
    may_sign: bool
    #: the public discussion of the draft, for the lead committee whose conclusion says how it took it into account
    public_discussion: discussion.Tally | None = None


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    present: bool


def _meeting(document_id: int, actor: Actor) -> Document:
    """The meeting, if the reader has a place in its committee; otherwise there is no such page for them."""
    found = db().get(Document, document_id)
    if found is None or found.kind != "committee_meeting":
        raise PageNotFound
    committee_for(actor, meetings.meeting_detail(db(), found).committee_id)
    return found


def _actor() -> Actor:
    user = signed_in()
    assert user is not None
    return user.actor()


@bp.get("/cabinet/committee-meetings/<id:document_id>")
@login_required  # type: ignore[untyped-decorator]
def meeting(document_id: int) -> ResponseReturnValue:
    actor = _actor()
    return _page(_meeting(document_id, actor), actor)


def _do(
    document_id: int,
    run: Callable[[Session, Document, Actor], object],
    done: str,
    *,
    typed: Mapping[str, str] | None = None,
) -> ResponseReturnValue:
    actor = _actor()
    found = _meeting(document_id, actor)
    try:
        run(db(), found, actor)
    except WorkflowError as refusal:
        db().rollback()
        again = db().get(Document, document_id)
        assert again is not None
        return _page(again, actor, refusal=refusal, typed=typed), status_of(refusal)
    flash(done)
    return redirect(url_for("cabinet.meeting", document_id=document_id))


def _document(session: Session, document_id: int | None) -> Document:
    found = session.get(Document, document_id) if document_id is not None else None
    if found is None or found.kind != "committee_conclusion":
        raise InvalidInput("committees.choose_paper", N_("choose a draft referred to the committee"))
    return found


def _one_id(value: str | None) -> int | None:
    ids = parse_ids([value or ""])
    return ids[0] if ids else None


@bp.post("/cabinet/committee-meetings/<id:document_id>/open")
@login_required  # type: ignore[untyped-decorator]
def open_meeting(document_id: int) -> ResponseReturnValue:
    return _do(
        document_id,
        lambda s, m, a: meetings.open_meeting(s, m, a, now=utcnow()),
        _("The meeting is open."),
    )


@bp.post("/cabinet/committee-meetings/<id:document_id>/close")
@login_required  # type: ignore[untyped-decorator]
def close_meeting(document_id: int) -> ResponseReturnValue:
    return _do(
        document_id,
        lambda s, m, a: meetings.close_meeting(s, m, a, now=utcnow()),
        _("The meeting is closed; its protocol is being drawn up."),
    )


@bp.post("/cabinet/committee-meetings/<id:document_id>/cancel")
@login_required  # type: ignore[untyped-decorator]
def cancel_meeting(document_id: int) -> ResponseReturnValue:
    reason = request.form.get("comment", "")
    return _do(
        document_id,
        lambda s, m, a: meetings.cancel_meeting(s, m, a, reason, now=utcnow()),
        _("The meeting is cancelled."),
        typed={"comment": reason},
    )


@bp.post("/cabinet/committee-meetings/<id:document_id>/papers")
@login_required  # type: ignore[untyped-decorator]
def add_paper(document_id: int) -> ResponseReturnValue:
    chosen = _one_id(request.form.get("conclusion"))
    return _do(
        document_id,
        lambda s, m, a: meetings.add_paper(s, m, a, _document(s, chosen), now=utcnow()),
        _("The draft is on the meeting's agenda."),
    )


@bp.post("/cabinet/committee-meetings/<id:document_id>/attendance")
@login_required  # type: ignore[untyped-decorator]
def meeting_attendance(document_id: int) -> ResponseReturnValue:
    present = parse_ids(request.form.getlist("present"))

    def run(session: Session, found: Document, actor: Actor) -> object:
        if present is None:
            raise InvalidInput("committees.attendance_names_no_member", N_("the attendance names no member"))
        return meetings.record_attendance_of(session, found, actor, present, now=utcnow())

    return _do(document_id, run, _("The attendance is recorded."))


@bp.post("/cabinet/committee-meetings/<id:document_id>/papers/<id:conclusion_id>/conclusion")
@login_required  # type: ignore[untyped-decorator]
def write_conclusion(document_id: int, conclusion_id: int) -> ResponseReturnValue:
    recommendation = request.form.get("recommendation", "")
    body = request.form.get("body", "")
    return _do(
        document_id,
        lambda s, m, a: conclusions.write_conclusion(
            s, _paper(s, m, conclusion_id), a, recommendation=recommendation, body=body, now=utcnow()
        ),
        _("The conclusion is written."),
        typed={f"body-{conclusion_id}": body, f"recommendation-{conclusion_id}": recommendation},
    )


@bp.post("/cabinet/committee-meetings/<id:document_id>/papers/<id:conclusion_id>/vote")
@login_required  # type: ignore[untyped-decorator]
def vote(document_id: int, conclusion_id: int) -> ResponseReturnValue:
    posted = {key.removeprefix("choice-"): value for key, value in request.form.items() if key.startswith("choice-")}
    ids = parse_ids(list(posted))

    def run(session: Session, found: Document, actor: Actor) -> object:
        if ids is None:
            raise InvalidInput("committees.ballot_names_no_member", N_("a ballot names no member"))
        choices = {int(key): value for key, value in posted.items()}
        return conclusions.vote_on_conclusion(
            session, found, _paper(session, found, conclusion_id), actor, choices, now=utcnow()
        )

    return _do(document_id, run, _("The committee's vote is recorded."))


@bp.post("/cabinet/committee-meetings/<id:document_id>/papers/<id:conclusion_id>/sign")
@login_required  # type: ignore[untyped-decorator]
def sign(document_id: int, conclusion_id: int) -> ResponseReturnValue:
    return _do(
        document_id,
        lambda s, m, a: conclusions.sign_conclusion(s, _paper(s, m, conclusion_id), a, now=utcnow()),
        _("The conclusion is signed."),
    )


def _paper(session: Session, found: Document, conclusion_id: int) -> Document:
    """A conclusion on this meeting's agenda (any other id: refused, as a paper not on it)."""
    for _detail, conclusion in meetings.papers(session, found):
        if conclusion.id == conclusion_id:
            return conclusion
    raise InvalidInput("committees.paper_not_on_agenda", N_("that paper is not on this meeting's agenda"))


# --- the page ---------------------------------------------------------------------------------------------------
def _held(session: Session, vote: Vote) -> Held:
    return Held(
        adopted=vote.result == "adopted",
        reason=say(vote_reason(vote)),
        moment=local(vote.held_at),
        ballots=tuple(
            Ballot(person.full_name, _(CHOICE_TITLES.get(choice, choice)))
            for person, choice in ballots_of(session, vote)
        ),
    )


def _page(
    found: Document,
    actor: Actor,
    *,
    refusal: WorkflowError | None = None,
    typed: Mapping[str, str] | None = None,
) -> str:
    session = db()
    detail = meetings.meeting_detail(session, found)
    committee, role = committee_for(actor, detail.committee_id)
    runs = meetings.runs_committee(actor, committee.id)
    chairs = actor.holds_for("committee_chair", committee.id)
    in_progress = found.state == "in_progress"
    now = utcnow()

    ids = committee_members(session, committee.id, now)
    here = meetings.presence(session, found.id)
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all()) if ids else {}
    members = sorted((Member(i, names.get(i, f"#{i}"), here.get(i, False)) for i in ids), key=lambda m: m.name)
    present = sum(1 for m in members if m.present)
    quorum = meetings.quorum_for_committee(len(members))

    votes_by_paper: dict[int, list[Held]] = {}
    for held in conclusions.meeting_votes(session, found):
        if held.subject_id is not None:
            votes_by_paper.setdefault(held.subject_id, []).append(_held(session, held))
    on_agenda = meetings.papers(session, found)
    drafts = {c.parent_id: session.get(Document, c.parent_id) for _row, c in on_agenda if c.parent_id is not None}
    discussed = {d.id for d in drafts.values() if d is not None and discussion.published_at(session, d) is not None}
    tallies = discussion.tallies_of(session, discussed)
    papers = []
    for number, (_row, conclusion) in enumerate(on_agenda, start=1):
        written = conclusion.fields.get("recommendation") in RECOMMENDATION_TITLES
        recommendation = str(conclusion.fields.get("recommendation"))
        lead = bool(conclusion.fields.get("lead"))
        draft = drafts.get(conclusion.parent_id) if conclusion.parent_id is not None else None
        papers.append(
            Paper(
                number=number,
                conclusion=conclusion,
                draft=draft,
                lead=lead,
                public_discussion=(
                    tallies.get(draft.id, discussion.Tally())
                    if lead and draft is not None and draft.id in discussed
                    else None
                ),
                stage=state_title(conclusion),
                recommendation=_(RECOMMENDATION_TITLES[recommendation]) if written else None,
                votes=tuple(votes_by_paper.get(conclusion.id, ())),
                may_write=chairs and conclusion.state == "prepared" and found.state in meetings.OPEN_STATES,
                may_vote=runs
                and in_progress
                and conclusion.state == "prepared"
                and written
                and conclusions.voted_as_it_stands(session, conclusion) is None,
                may_sign=chairs and conclusion.state == "discussed",
            )
        )
    listed = {conclusion.id for _row, conclusion in on_agenda}
    candidates = (
        [
            r
            for r in referred_drafts(session, committee.id)
            if r.conclusion.state == "prepared" and r.conclusion.id not in listed
        ]
        if runs and found.state in meetings.OPEN_STATES
        else []
    )
    moves = (
        [a for a in available_actions(session, found, actor) if a.allowed and a.trigger in ("open", "close", "cancel")]
        if runs
        else []
    )
    return render_template(
        "cabinet/meeting.html",
        meeting=found,
        detail=detail,
        committee=committee,
        role=_(ROLE_TITLES[role]),
        stage=state_title(found),
        runs=runs,
        in_progress=in_progress,
        members=members,
        present=present,
        quorum=quorum,
        papers=papers,
        candidates=candidates,
        moves={a.trigger: title_of(a) for a in moves},
        recommendations=[(key, _(title)) for key, title in RECOMMENDATION_TITLES.items()],
        choices=[(key, _(CHOICE_TITLES[key])) for key in conclusions.PRESENT_CHOICES],
        files=list_files(session, found.id),
        refusal=refusal,
        typed=typed or {},
        limits={"body": limits.FIELD_TEXT, "comment": limits.COMMENT},
        local=local,
    )
