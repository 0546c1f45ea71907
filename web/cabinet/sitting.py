"""The secretary's sitting console (`/cabinet/sessions/<id>/sitting`): attendance and the quorum, the agenda with
each item's reporter, conflicts of interest and vote, postponing and removing items, adding one and overriding a
veto by vote. The votes themselves are taken on the vote page (`web.cabinet.sitting_votes`).

Every form posts to an address of its own and comes back to the console; a refusal shows the console again with
the reason, and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import say
from web.ids import parse_ids
from workflow import limits
from workflow.council.organisation.queries import council_members, the_council
from workflow.council.sittings import sessions
from workflow.council.sittings.cabinet_votes import cast_ballots, open_vote_of
from workflow.council.sittings.conflicts import OPEN_ITEM_STATES, declarations_at, declare_conflict
from workflow.council.sittings.console_models import ConflictDeclaration, OpenVote
from workflow.council.sittings.models import AgendaItem, PlenarySession, Vote
from workflow.council.sittings.questions import agenda_approved, votes_at
from workflow.council.sittings.votes import presence, quorum_for, required_for, vote_reason
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.errors import InvalidInput, NotAllowed, WorkflowError
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import utcnow

#: drafts the council may add to the agenda during the sitting (the engine checks the rest)
ADDABLE_STATES = ("committee_review", "postponed")


def secretary_only() -> Actor:
    """The signed-in secretary; anyone else is told the console is the secretary's (403), and nothing is done."""
    user = signed_in()
    assert user is not None
    actor = user.actor()
    if not actor.holds("secretary"):
        raise NotAllowed("sitting.secretary_only", N_("the sitting console is the council secretary's"))
    return actor


def plenary_of(document_id: int) -> Document:
    """The session, or 404 for anything else (a session is public from its convening; its console is not)."""
    found = db().get(Document, document_id)
    if found is None or found.kind != "session":
        abort(404)
    return found


@dataclass(frozen=True)
class MemberRow:
    person: Person
    #: True registered, False left, None never registered
    present: bool | None


@dataclass(frozen=True)
class ItemRow:
    item: Document
    detail: AgendaItem
    state_title: str
    reporter: Person | None
    conflicts: list[ConflictDeclaration]
    vote: Vote | None
    open: bool
    may_postpone: bool
    may_remove: bool


def members_of(plenary: Document) -> list[MemberRow]:
    """The council's members in the order of their names, each with their registration at the sitting."""
    session = db()
    ids = council_members(session, utcnow())
    registered = presence(session, plenary.id)
    people = sorted(session.scalars(select(Person).where(Person.id.in_(ids))), key=lambda p: alphabetical(p.full_name))
    return [MemberRow(person, registered.get(person.id)) for person in people]


#: the Ukrainian alphabet's order, which Unicode's does not follow (Ґ, Є, І, Ї come after Я there)
_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_ORDER = {letter: f"{index:02d}" for index, letter in enumerate(_ALPHABET)}


def alphabetical(name: str) -> str:
    """A name's key in the order of the Ukrainian alphabet (other characters after its letters)."""
    return "".join(_ORDER.get(c, "  " if c.isspace() else "99" + c) for c in name.casefold() if c not in "'’ʼ")


def state_title(document: Document) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return say(compiled.state(document.state).title)


def arithmetic(vote: Vote) -> str:
    """'for 15 of 27, 14 needed: adopted', with the whole count after it."""
    outcome = _("adopted") if vote.result == "adopted" else _("not adopted")
    return str(
        _(
            "for %(votes_for)s of %(total)s, %(required)s needed: %(outcome)s",
            votes_for=vote.votes_for,
            total=vote.total_composition,
            required=vote.required,
            outcome=outcome,
        )
    )


def _items(plenary: Document) -> list[ItemRow]:
    session = db()
    conflicts = declarations_at(session, plenary.id)
    latest: dict[int, Vote] = {}
    for vote in votes_at(session, plenary):
        if vote.subject_id is not None and vote.purpose in ("decision", "add_item"):
            latest[vote.subject_id] = vote
    agenda = sessions.agenda(session, plenary)
    # who reports: the one named on the agenda, else the draft's author (as the session's page and papers say)
    authors = dict(
        session.execute(
            select(Document.id, Document.author_id).where(
                Document.id.in_([d.draft_id for d, _ in agenda if d.draft_id])
            )
        ).all()
    )
    reporters: dict[int, int] = {}
    for detail, _item in agenda:
        who = detail.reporter_id or (authors.get(detail.draft_id) if detail.draft_id is not None else None)
        if who is not None:
            reporters[detail.document_id] = who
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(set(reporters.values()))))}
    rows = []
    for detail, item in agenda:
        rows.append(
            ItemRow(
                item=item,
                detail=detail,
                state_title=state_title(item),
                reporter=people.get(reporters.get(detail.document_id, 0)),
                conflicts=conflicts.get(item.id, []),
                vote=latest.get(item.id),
                open=item.state in OPEN_ITEM_STATES,
                may_postpone=item.state in ("included", "considering"),
                may_remove=item.state in ("proposed", "included"),
            )
        )
    return rows


def render_console(
    document_id: int, *, refusal: WorkflowError | None = None, typed: dict[str, str] | None = None
) -> str:
    session = db()
    plenary = plenary_of(document_id)
    detail = session.get(PlenarySession, plenary.id)
    council = the_council(session)
    members = members_of(plenary)
    registered = sum(1 for m in members if m.present)
    quorum = quorum_for(council.total_composition)
    open_vote: OpenVote | None = open_vote_of(session, plenary.id)
    approved = agenda_approved(session, plenary)
    vetoed = session.scalars(
        select(Document).where(Document.kind == "decision_draft", Document.state == "vetoed").order_by(Document.id)
    ).all()
    addable = session.scalars(
        select(Document)
        .where(Document.kind == "decision_draft", Document.state.in_(ADDABLE_STATES))
        .order_by(Document.id)
        .limit(100)
    ).all()
    return render_template(
        "cabinet/sitting.html",
        plenary=plenary,
        detail=detail,
        plenary_state=state_title(plenary),
        in_progress=plenary.state == "in_progress",
        members=members,
        registered=registered,
        total=council.total_composition,
        quorum=quorum,
        majority=required_for("majority", council.total_composition),
        items=_items(plenary),
        agenda_vote=approved,
        vetoed=vetoed,
        vetoed_conflicts=declarations_at(session, plenary.id),
        addable=addable,
        open_vote=open_vote,
        cast=0 if open_vote is None else len(cast_ballots(session, open_vote.id)),
        votes=votes_at(session, plenary),
        arithmetic=arithmetic,
        reason=lambda vote: say(vote_reason(vote)),
        refusal=refusal,
        typed=typed or {},
        local=local,
        limit=limits.COMMENT,
    )


def refused(document_id: int, refusal: WorkflowError, typed: dict[str, str] | None = None) -> ResponseReturnValue:
    """The console again with the refusal, after everything the request did was rolled back."""
    db().rollback()
    return render_console(document_id, refusal=refusal, typed=typed), status_of(refusal)


def back(document_id: int, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for("cabinet.sitting", document_id=document_id) + anchor)


@bp.get("/cabinet/sessions/<id:document_id>/sitting")
@login_required  # type: ignore[untyped-decorator]
def sitting(document_id: int) -> ResponseReturnValue:
    plenary_of(document_id)
    try:
        secretary_only()
    except WorkflowError as refusal:
        return render_template("error.html", error=refusal, status=403), 403
    return render_console(document_id)


@bp.post("/cabinet/sessions/<id:document_id>/sitting/open")
@login_required  # type: ignore[untyped-decorator]
def open_sitting(document_id: int) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    try:
        secretary = secretary_only()
        fire(db(), plenary, "open", secretary, now=utcnow())
    except WorkflowError as refusal:
        return refused(document_id, refusal)
    flash(_("The sitting is open."))
    return back(document_id)


@bp.post("/cabinet/sessions/<id:document_id>/sitting/attendance")
@login_required  # type: ignore[untyped-decorator]
def sitting_attendance(document_id: int) -> ResponseReturnValue:
    """Register the ticked members as present and those unticked (who were registered) as having left; "all
    present" registers everyone not yet present."""
    plenary = plenary_of(document_id)
    try:
        secretary = secretary_only()
        members = {row.person.id: row for row in members_of(plenary)}
        if request.form.get("all"):
            wanted = set(members)
        else:
            ticked = parse_ids(request.form.getlist("present"))
            if ticked is None or not set(ticked) <= set(members):
                raise InvalidInput("sitting.not_members", N_("only members of the council are registered"))
            wanted = set(ticked)
        now = utcnow()
        changed = 0
        for person_id, row in members.items():
            present = person_id in wanted
            if present != bool(row.present) and (present or row.present is not None):
                sessions.register(db(), plenary, secretary, row.person, present=present, now=now)
                changed += 1
    except WorkflowError as refusal:
        return refused(document_id, refusal)
    flash(_("Attendance saved.") if changed else _("Attendance was already as ticked."))
    return back(document_id, "#attendance")


def _reason() -> str:
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        raise InvalidInput("sitting.reason_required", N_("say why: the protocol records it"))
    if len(reason) > limits.COMMENT:
        raise InvalidInput(
            "sitting.reason_too_long",
            N_("the reason has {length} characters; at most {limit} are kept"),
            length=len(reason),
            limit=limits.COMMENT,
        )
    return reason


def _item_of(plenary: Document, item_id: int) -> Document:
    item = db().get(Document, item_id)
    detail = db().get(AgendaItem, item_id)
    if item is None or detail is None or detail.session_id != plenary.id:
        abort(404)
    return item


@bp.post("/cabinet/sessions/<id:document_id>/sitting/items/<id:item_id>/<any(postpone, remove):action>")
@login_required  # type: ignore[untyped-decorator]
def item_outcome(document_id: int, item_id: int, action: str) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    item = _item_of(plenary, item_id)
    try:
        secretary = secretary_only()
        reason = _reason()
        if plenary.state != "in_progress":
            raise InvalidInput(
                "sitting.not_in_progress", N_("items are postponed or removed while the sitting is in progress")
            )
        move = sessions.postpone_item if action == "postpone" else sessions.remove_item
        move(db(), item, secretary, reason, now=utcnow())
    except WorkflowError as refusal:
        return refused(document_id, refusal, {f"reason-{item_id}-{action}": request.form.get("reason", "")})
    if action == "postpone":
        flash(_("«%(title)s» is postponed.", title=item.title))
    else:
        flash(_("«%(title)s» is removed from the agenda.", title=item.title))
    return back(document_id, "#agenda")


@bp.post("/cabinet/sessions/<id:document_id>/sitting/conflicts")
@login_required  # type: ignore[untyped-decorator]
def conflict(document_id: int) -> ResponseReturnValue:
    """The secretary records a member's declaration of a conflict of interest on an item (or a veto override)."""
    plenary = plenary_of(document_id)
    typed = {"statement": request.form.get("statement", "")}
    try:
        secretary = secretary_only()
        ids = parse_ids([request.form.get("subject", ""), request.form.get("member", "")])
        subject = None if ids is None else db().get(Document, ids[0])
        member = None if ids is None else db().get(Person, ids[1])
        if subject is None or member is None:
            raise InvalidInput("sitting.choose_member_and_question", N_("choose the member and the question"))
        declare_conflict(db(), plenary, secretary, subject, member, typed["statement"], now=utcnow())
    except WorkflowError as refusal:
        return refused(document_id, refusal, typed)
    flash(_("The conflict of interest of %(name)s is recorded: they do not vote on it.", name=member.full_name))
    return back(document_id, "#agenda")
