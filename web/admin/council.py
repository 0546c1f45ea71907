"""The administrator's index (`/admin`: every administrator's page) and the council's own settings
(`/admin/council`: its name, convocation, total composition and the pattern of decision numbers, with the quorum
and majorities the composition gives and a preview of the next number). Committees and departments are in
`web.admin.bodies`; failed effects, e-mails and the audit log in `web.admin.operations`."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired

from web.admin import bp
from web.admin.guard import administrator
from web.database import db
from web.errors import status_of
from web.i18n import say
from workflow.council.administration import council as settings
from workflow.council.organisation.models import Council
from workflow.council.organisation.queries import council_members, the_council
from workflow.errors import WorkflowError
from workflow.timeutil import utcnow


@bp.get("/admin")
@login_required  # type: ignore[untyped-decorator]
def index() -> ResponseReturnValue:
    administrator()
    people = "admin.people" in current_app.view_functions  # the people's pages, where the branch that has them is in
    return render_template("admin/index.html", people=people)


class CouncilForm(FlaskForm):  # type: ignore[misc]
    name = StringField(_l("Name (Ukrainian)"), validators=[InputRequired(_l("Give the council's name."))])
    name_en = StringField(_l("Name (English)"))
    convocation = IntegerField(_l("Convocation"), validators=[InputRequired(_l("Give the convocation's number."))])
    total_composition = IntegerField(
        _l("Total composition (members by law, the mayor included)"),
        validators=[InputRequired(_l("Give the total composition."))],
    )
    number_pattern = StringField(
        _l("Pattern of a decision's number"), validators=[InputRequired(_l("Give the pattern of a decision's number."))]
    )


def _own_words(form: CouncilForm) -> None:
    """What WTForms says of a number it could not read, in the site's own words."""
    for field in (form.convocation, form.total_composition):
        if field.errors and field.data is None and field.raw_data and field.raw_data[0].strip():
            field.errors = [_("Give a whole number, e.g. 8.")]


@bp.route("/admin/council", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def council() -> ResponseReturnValue:
    actor = administrator()
    found = the_council(db())
    form = CouncilForm(obj=found) if request.method == "GET" else CouncilForm()
    if request.method == "GET":
        return _page(found, form)
    if not form.validate():
        _own_words(form)
        return _page(found, form), 422
    wanted = settings.CouncilSettings(
        name=form.name.data,
        name_en=form.name_en.data or "",
        convocation=form.convocation.data,
        total_composition=form.total_composition.data,
        number_pattern=form.number_pattern.data,
    )
    if "preview" in request.form:  # the pattern tried out, nothing kept
        try:
            pattern = settings.check_number_pattern(wanted.number_pattern)
        except WorkflowError as refusal:
            return _page(found, form, refusal=refusal), status_of(refusal)
        return _page(found, form, tried=settings.next_number(db(), found, pattern).text)
    try:
        settings.change_council(db(), actor, found, wanted, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        return _page(found, form, refusal=refusal), status_of(refusal)
    flash(_("The council's settings are saved."))
    return redirect(url_for("admin.council"))


#: which field a refusal of the domain is about, by its code's ending
_ABOUT = (
    ("composition", "total_composition"),
    ("sitting_open", "total_composition"),
    ("pattern", "number_pattern"),
    ("convocation", "convocation"),
    ("council_name", "name"),
)


def _about(refusal: WorkflowError | None) -> dict[str, str]:
    if refusal is None:
        return {}
    return next(({name: say(refusal.detail)} for part, name in _ABOUT if part in refusal.code), {})


def _page(found: Council, form: CouncilForm, *, refusal: WorkflowError | None = None, tried: str | None = None) -> str:
    session = db()
    return render_template(
        "admin/council.html",
        council=found,
        form=form,
        refusal=refusal,
        about=_about(refusal),
        tried=tried,
        next_number=settings.next_number(session, found),
        counted=settings.counted_from(found.total_composition),
        members=len(council_members(session, utcnow())),
        limits={"name": settings.NAME_LIMIT, "pattern": settings.PATTERN_LIMIT},
    )
