"""The secretary's sessions: the list of plenary sessions with their stages, a new session, and each session's
page — its agenda being built (`web.cabinet.agenda`), convening it, closing the sitting and its protocol
(`web.cabinet.protocol`). The sitting itself (attendance, votes) has its own console at
`/cabinet/sessions/<id>/sitting`.

Every page and form here is the secretary's: anyone else is told so (403) and nothing is done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import NotFound as PageNotFound
from wtforms import DateField, IntegerField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.presenting import local
from web.database import db
from web.errors import status_of
from web.extension import radaflow
from web.i18n import current as current_language
from web.i18n import say
from workflow import i18n, limits
from workflow.council.law import KYIV
from workflow.council.sittings import agenda as building
from workflow.council.sittings.models import AgendaItem, PlenarySession
from workflow.council.sittings.papers import SESSION_KINDS
from workflow.council.sittings.sessions import agenda, plan_session
from workflow.engine import available_actions
from workflow.engine.models import Document
from workflow.errors import Conflict, NotAllowed, WorkflowError, WrongState
from workflow.files import list_files
from workflow.i18n import N_
from workflow.people import Actor, Person
from workflow.timeutil import utcnow

#: the longest place a session's detail keeps (PlenarySession.place)
PLACE_LIMIT = 300


def secretary() -> Actor:
    """The signed-in person as the secretary, or a refusal (403) saying whose pages these are."""
    user = signed_in()
    assert user is not None
    actor = user.actor()
    if not actor.holds("secretary"):
        raise NotAllowed("cabinet.sessions_are_secretarys", N_("the sessions are prepared by the council's secretary"))
    return actor


def plenary_or_404(session_id: int) -> Document:
    found = db().get(Document, session_id)
    if found is None or found.kind != "session":
        raise PageNotFound
    return found


def check_version(plenary: Document) -> None:
    """A form sent from a page of the session as it was: if it changed since, nothing is done."""
    if request.form.get("version") != str(plenary.version):
        raise Conflict(
            "cabinet.session_changed",
            N_("the session changed after you opened its page: look at it again, then act"),
        )


def check_possible(document: Document, trigger: str) -> None:
    """Refuse, in words, a move its document's stage does not have (the engine's own refusal names the triggers)."""
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    if compiled.move(document.state, trigger) is None:
        action = next((t.title for t in compiled.definition.transitions if t.trigger == trigger), trigger)
        raise WrongState(
            "cabinet.not_at_this_stage",
            N_("«{action}» is not possible at the stage «{state}»"),
            action=action,
            state=compiled.state(document.state).title,
        )


# --- the list -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Listed:
    document: Document
    detail: PlenarySession
    kind_title: str
    state_title: str
    starts_at: str


@bp.get("/cabinet/sessions")
@login_required  # type: ignore[untyped-decorator]
def sessions() -> ResponseReturnValue:
    secretary()
    rows = db().execute(
        select(Document, PlenarySession)
        .join(PlenarySession, PlenarySession.document_id == Document.id)
        .order_by(PlenarySession.starts_at.desc(), Document.id.desc())
    )
    listed = [
        Listed(
            document=document,
            detail=detail,
            kind_title=_(SESSION_KINDS.get(detail.kind, detail.kind)),
            state_title=_state_title(document),
            starts_at=local(detail.starts_at),
        )
        for document, detail in rows
    ]
    return render_template("cabinet/sessions.html", sessions=listed)


def _state_title(document: Document) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return say(compiled.state(document.state).title)


# --- a new session --------------------------------------------------------------------------------------------
class NewSessionForm(FlaskForm):  # type: ignore[misc]
    number = IntegerField(
        _l("Number of the session"),
        validators=[
            InputRequired(_l("Give the session's number.")),
            NumberRange(min=1, max=9999, message=_l("A session's number is from 1 to 9999.")),
        ],
    )
    day = DateField(_l("Date"), validators=[InputRequired(_l("Give the session's date."))])
    starts = TimeField(_l("Time (Kyiv)"), validators=[InputRequired(_l("Give the time the sitting starts."))])
    place = StringField(
        _l("Place"),
        validators=[
            DataRequired(_l("Say where the session meets.")),
            Length(max=PLACE_LIMIT, message=_l("A place is at most %(n)s characters.", n=PLACE_LIMIT)),
        ],
    )
    kind = SelectField(
        _l("Kind of session"),
        choices=[SelectChoice("regular", _l("regular")), SelectChoice("extraordinary", _l("extraordinary"))],
        validate_choice=True,
    )


def _own_words(form: NewSessionForm) -> None:
    """What WTForms says of a date, a time or a choice it could not read, in the site's own words."""
    if form.day.errors and form.day.data is None:
        form.day.errors = [_("Give the date as the calendar offers it (e.g. 2027-01-20).")]
    if form.starts.errors and form.starts.data is None:
        form.starts.errors = [_("Give the time as hours and minutes (e.g. 10:00).")]
    if form.kind.errors:
        form.kind.errors = [_("Choose a regular or an extraordinary session.")]


def _kyiv(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=KYIV)


@bp.route("/cabinet/sessions/new", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def new_session() -> ResponseReturnValue:
    actor = secretary()
    form = NewSessionForm()
    if request.method == "GET":
        return render_template("cabinet/session_new.html", form=form, refusal=None)
    if not form.validate():
        _own_words(form)
        return render_template("cabinet/session_new.html", form=form, refusal=None), 422
    try:
        plenary = plan_session(
            db(),
            actor,
            number=form.number.data,
            starts_at=_kyiv(form.day.data, form.starts.data),
            place=" ".join(form.place.data.split()),
            kind=form.kind.data,
            now=utcnow(),
        )
    except WorkflowError as refusal:
        db().rollback()
        return render_template("cabinet/session_new.html", form=form, refusal=refusal), status_of(refusal)
    flash(_("Session № %(number)s is planned: now build its agenda.", number=form.number.data))
    return redirect(url_for("cabinet.session_page", session_id=plenary.id))


# --- a session's page -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    document: Document
    detail: AgendaItem
    number: int
    state_title: str
    draft: Document | None
    reporter: str
    files: list[object]


@bp.get("/cabinet/sessions/<id:session_id>")
@login_required  # type: ignore[untyped-decorator]
def session_page(session_id: int) -> ResponseReturnValue:
    actor = secretary()
    return session_view(plenary_or_404(session_id), actor)


def session_view(
    plenary: Document,
    actor: Actor,
    *,
    refusal: WorkflowError | None = None,
    form: str | None = None,
    typed: Mapping[str, str] | None = None,
) -> str:
    """The session's page; after a refused form, with the refusal beside that form and what was typed."""
    session = db()
    detail = session.get(PlenarySession, plenary.id)
    assert detail is not None
    now = utcnow()
    building_now = plenary.state in building.BUILDING_STATES
    items = _items(plenary)
    candidates = building.candidates(session, plenary, actor, now=now) if building_now else []
    protocol = session.scalar(
        select(Document).where(Document.parent_id == plenary.id, Document.kind == "session_protocol")
    )
    moves = _session_moves(plenary, actor, now)
    shown = {"agenda", *(f"item-{item.document.id}" for item in items), *(move.trigger for move in moves)}
    shown |= {"drafts", "standing"} if building_now else set()
    shown |= {"protocol"} if protocol is not None else set()
    return render_template(
        "cabinet/session.html",
        plenary=plenary,
        detail=detail,
        kind_title=_(SESSION_KINDS.get(detail.kind, detail.kind)),
        state_title=_state_title(plenary),
        starts_at=i18n.render(i18n.Spoken(detail.starts_at), current_language()),
        building=building_now,
        items=items,
        ready=[c for c in candidates if c.ready],
        waiting=[c for c in candidates if not c.ready],
        standing_items=building.STANDING_ITEMS,
        moves=moves,
        protocol=protocol,
        protocol_state=_state_title(protocol) if protocol is not None else None,
        protocol_moves=_moves(protocol, actor, now) if protocol is not None else [],
        protocol_files=list_files(session, protocol.id) if protocol is not None else [],
        refusal=refusal,
        # a refusal is shown beside its form, or above everything when that form is no longer on the page
        refused_form=form if form in shown else "top",
        typed=typed or {},
        limits={"title": building.TITLE_LIMIT, "comment": limits.COMMENT},
        local=local,
    )


def _items(plenary: Document) -> list[Item]:
    session = db()
    rows = agenda(session, plenary)
    drafts = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_([r.draft_id for r, _ in rows])))}
    people = {d.author_id for d in drafts.values() if d.author_id} | {r.reporter_id for r, _ in rows if r.reporter_id}
    names = dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(people))).all())
    items = []
    number = 0
    for detail, document in rows:
        on_it = document.state not in building.GONE
        number += 1 if on_it else 0
        draft = drafts.get(detail.draft_id) if detail.draft_id is not None else None
        who = detail.reporter_id or (draft.author_id if draft is not None else None)
        items.append(
            Item(
                document=document,
                detail=detail,
                number=number if on_it else 0,
                state_title=_state_title(document),
                draft=draft,
                reporter=names.get(who, "") if who else "",
                files=list(list_files(session, document.id)),
            )
        )
    return items


@dataclass(frozen=True)
class Move:
    """An action of the page's own, offered as a button or shown greyed with the engine's reasons."""

    trigger: str
    title: str
    allowed: bool
    reasons: tuple[str, ...]
    comment: str


def _moves(document: Document, actor: Actor, now: datetime, only: tuple[str, ...] | None = None) -> list[Move]:
    out = []
    for action in available_actions(db(), document, actor, now=now):
        if only is not None and action.trigger not in only:
            continue
        if any(getattr(reason, "code", None) == "engine.roles_needed" for reason in action.reasons):
            continue  # another's to do (the chair signs the protocol): not offered here
        out.append(
            Move(
                trigger=action.trigger,
                title=action.title_en if current_language() == "en" else action.title_uk,
                allowed=action.allowed,
                reasons=tuple(say(reason) for reason in action.reasons),
                comment=action.comment,
            )
        )
    return out


def _session_moves(plenary: Document, actor: Actor, now: datetime) -> list[Move]:
    """Convening and closing are this page's; opening and the votes are the sitting console's."""
    return _moves(plenary, actor, now, only=("convene", "close"))


@bp.app_context_processor
def _workplaces() -> dict[str, object]:
    """The header's links to the workplaces the signed-in person has: the sessions (the secretary's), the
    decisions to sign (the mayor's), the citizens' messages (a deputy's) and the administration (the
    administrator's)."""
    user = signed_in()
    if user is None:
        return {"workplaces": ()}
    actor = user.actor()
    links = []
    if actor.holds("secretary"):
        links.append((url_for("cabinet.sessions"), _("Sessions")))
    if actor.holds("mayor"):
        links.append((url_for("cabinet.signing"), _("To sign")))
    if actor.holds("deputy"):
        links.append((url_for("cabinet.messages"), _("Citizens' messages")))
    if actor.holds("admin"):
        links.append((url_for("admin.index"), _("Administration")))
    return {"workplaces": tuple(links)}
