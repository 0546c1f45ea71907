"""The council's deputies: the list, and a page per deputy — committees, attendance, the voting record
(filtered by choice and session, paged), agreement with the council's majority, public answers to citizens and
how quickly the deputy answers; and, for a signed-in citizen with a confirmed address, the form to write."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from web.auth.views import signed_in
from web.database import db
from web.ids import is_id
from web.limits import public_form
from web.public import bp
from web.public.forms import WriteForm
from web.public.people import CHOICE_TITLES, RESULT_TITLES, SEAT_TITLES, committee_name
from workflow.council.citizens.registration import CITIZEN_ROLE, is_confirmed, write_as_citizen
from workflow.council.deputies.profiles import Deputy, attendance, deputy_ids, get_deputy, list_deputies
from workflow.council.deputies.record import record_summary, voting_record
from workflow.council.messages.answers import public_answers, responsiveness
from workflow.council.sittings.votes import CHOICES
from workflow.errors import NotFound
from workflow.people import get_person


@bp.app_template_global()
def has_deputy_page(person_id: int) -> bool:
    """Whether a member named on a page (a ballot, the attendance, a committee) has a deputy's page to link to:
    the mayor and former deputies have none. The deputies are read once per request."""
    if "deputy_ids" not in g:
        g.deputy_ids = deputy_ids(db())
    return person_id in g.deputy_ids


@bp.get("/deputies")
def deputies() -> ResponseReturnValue:
    listed = list_deputies(db())
    return render_template(
        "public/deputies.html", deputies=listed, seat_titles=SEAT_TITLES, committee_name=committee_name
    )


@bp.get("/deputies/<id:person_id>")
def deputy(person_id: int) -> ResponseReturnValue:
    return render_template("public/deputy.html", **_profile(person_id, WriteForm()))


@bp.post("/deputies/<id:person_id>/messages")
@public_form()
def write(person_id: int) -> ResponseReturnValue:
    """A citizen's message to the deputy; the page again with what is wrong (nothing written) otherwise. Signed
    out, the sign-in comes first, and then the deputy's page again."""
    _deputy_or_404(person_id)
    user = signed_in()
    if user is None:
        back = url_for("public.deputy", person_id=person_id, _anchor="write")
        return redirect(url_for("auth.sign_in", next=back))
    form = WriteForm()
    if not form.validate_on_submit():
        return render_template("public/deputy.html", **_profile(person_id, form)), 422
    write_as_citizen(db(), user.actor(), person_id, form.subject.data, form.text.data)
    flash(_("Your message is sent. The deputy's answer will appear here and come by e-mail."))
    return redirect(url_for("public.my_messages"))


def _deputy_or_404(person_id: int) -> Deputy:
    try:
        return get_deputy(db(), person_id)
    except NotFound:
        abort(404)


def _profile(person_id: int, form: WriteForm) -> dict[str, Any]:
    session = db()
    found = _deputy_or_404(person_id)
    choice = request.args.get("choice") or None
    if choice not in CHOICES:
        choice = None
    session_arg = request.args.get("session", "")
    session_id = int(session_arg) if session_arg.isascii() and session_arg.isdigit() and len(session_arg) < 11 else None
    if session_id is not None and not is_id(session_id):
        session_id = None
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isascii() and page_arg.isdigit() and len(page_arg) < 8 else 1
    present = attendance(session, person_id)
    summary = record_summary(session, person_id)  # the sessions, the agreement and the counts in one pass
    agreed = summary.agreement
    counts = responsiveness(session, person_id)
    return {
        "deputy": found,
        "seat_titles": SEAT_TITLES,
        "committee_name": committee_name,
        "attendance": present,
        "attendance_rate": None if present.rate is None else format_percent(present.rate),
        "agreement": agreed,
        "agreement_rate": None if agreed.rate is None else format_percent(agreed.rate),
        "record": voting_record(
            session,
            person_id,
            choice=choice,
            session_id=session_id,
            page=page,
            total=summary.total(choice, session_id),
        ),
        "sessions": summary.sessions,
        "choice": choice,
        "session_id": session_id,
        "choices": [(code, CHOICE_TITLES[code]) for code in CHOICES],
        "choice_titles": CHOICE_TITLES,
        "result_titles": RESULT_TITLES,
        "counts": counts,
        "median_days": None if counts.median_days is None else format_decimal(round(counts.median_days, 1)),
        "answers": public_answers(session, person_id, limit=20),
        "form": form,
        "writer": _writer(),
    }


def _writer() -> str:
    """Who reads the page, as the write form sees them: "guest", "unconfirmed", "citizen" or "other"."""
    user = signed_in()
    if user is None:
        return "guest"
    if not user.actor().holds(CITIZEN_ROLE):
        return "other"
    return "citizen" if is_confirmed(get_person(db(), user.id)) else "unconfirmed"
