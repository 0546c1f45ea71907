"""The council's committees and departments (`/admin/committees`): listed, created, renamed in Ukrainian and
English, and retired — never deleted, since drafts, conclusions, meetings and visas name them. Each one's page
shows who sits in it (granted on the people's pages, linked when they are there)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as PageNotFound
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from web.admin import bp
from web.admin.guard import administrator
from web.database import db
from web.errors import status_of
from web.i18n import current
from workflow.council.administration import bodies
from workflow.council.organisation.models import Committee, Department
from workflow.council.organisation.queries import COMMITTEE_ROLES, the_council
from workflow.council.role_titles import ROLE_TITLES
from workflow.errors import WorkflowError
from workflow.people import Actor
from workflow.timeutil import utcnow

#: what a department's kind is called
DEPARTMENT_KINDS = {"legal": _l("legal"), "finance": _l("finance"), "other": _l("other")}


class NamesForm(FlaskForm):  # type: ignore[misc]
    name = StringField(_l("Name (Ukrainian)"))
    name_en = StringField(_l("Name (English)"))


class DepartmentForm(NamesForm):
    kind = SelectField(
        _l("What it reviews"),
        choices=[SelectChoice(kind, title) for kind, title in DEPARTMENT_KINDS.items()],
        validate_choice=True,
    )


class RetireForm(FlaskForm):  # type: ignore[misc]
    pass


def _people_pages() -> bool:
    """Whether the people's pages are there (`web.admin.people`, a feature of its own): then they are linked."""
    return "admin.people" in current_app.view_functions


# --- the list and the new ones --------------------------------------------------------------------------------
@bp.get("/admin/committees", endpoint="bodies")
@login_required  # type: ignore[untyped-decorator]
def bodies_page() -> ResponseReturnValue:
    administrator()
    return _list(NamesForm(prefix="committee"), DepartmentForm(prefix="department"))


def _list(
    committee_form: NamesForm,
    department_form: DepartmentForm,
    *,
    refusal: WorkflowError | None = None,
    refused_form: str | None = None,
) -> str:
    session = db()
    return render_template(
        "admin/bodies.html",
        committees=bodies.committees(session),
        departments=bodies.departments(session),
        committee_form=committee_form,
        department_form=department_form,
        kinds=DEPARTMENT_KINDS,
        refusal=refusal,
        refused_form=refused_form,
        limit=bodies.NAME_LIMIT,
    )


@bp.post("/admin/committees")
@login_required  # type: ignore[untyped-decorator]
def new_committee() -> ResponseReturnValue:
    actor = administrator()
    form = NamesForm(prefix="committee")
    council = the_council(db())
    if not form.validate():
        return _list(form, DepartmentForm(prefix="department"), refused_form="committee"), 422
    try:
        committee = bodies.create_committee(db(), actor, council, form.name.data or "", form.name_en.data or "")
    except WorkflowError as refusal:
        db().rollback()
        page = _list(form, DepartmentForm(prefix="department"), refusal=refusal, refused_form="committee")
        return page, status_of(refusal)
    flash(
        _(
            "The committee «%(name)s» is created: grant its chair and members on the people's pages.",
            name=committee.name,
        )
    )
    return redirect(url_for("admin.committee", committee_id=committee.id))


@bp.post("/admin/departments")
@login_required  # type: ignore[untyped-decorator]
def new_department() -> ResponseReturnValue:
    actor = administrator()
    form = DepartmentForm(prefix="department")
    council = the_council(db())
    if not form.validate():
        if form.kind.errors:
            form.kind.errors = [_("Choose what the department reviews.")]
        return _list(NamesForm(prefix="committee"), form, refused_form="department"), 422
    try:
        department = bodies.create_department(
            db(), actor, council, form.name.data or "", form.name_en.data or "", form.kind.data
        )
    except WorkflowError as refusal:
        db().rollback()
        page = _list(NamesForm(prefix="committee"), form, refusal=refusal, refused_form="department")
        return page, status_of(refusal)
    flash(_("The department «%(name)s» is created.", name=department.name))
    return redirect(url_for("admin.department", department_id=department.id))


# --- a committee ----------------------------------------------------------------------------------------------
def _committee_or_404(committee_id: int) -> Committee:
    found = db().get(Committee, committee_id)
    if found is None:
        raise PageNotFound
    return found


@bp.route("/admin/committees/<id:committee_id>", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def committee(committee_id: int) -> ResponseReturnValue:
    actor = administrator()
    found = _committee_or_404(committee_id)
    return _rename("committee", actor, found, bodies.rename_committee, _("The committee is renamed."))


@bp.post("/admin/committees/<id:committee_id>/retire")
@login_required  # type: ignore[untyped-decorator]
def retire_committee(committee_id: int) -> ResponseReturnValue:
    actor = administrator()
    found = _committee_or_404(committee_id)
    return _retire(
        "committee",
        actor,
        found,
        bodies.retire_committee,
        lambda ended: _("The committee is retired; %(n)s grant(s) of its people ended.", n=ended),
    )


# --- a department ---------------------------------------------------------------------------------------------
def _department_or_404(department_id: int) -> Department:
    found = db().get(Department, department_id)
    if found is None:
        raise PageNotFound
    return found


@bp.route("/admin/departments/<id:department_id>", methods=["GET", "POST"])
@login_required  # type: ignore[untyped-decorator]
def department(department_id: int) -> ResponseReturnValue:
    actor = administrator()
    found = _department_or_404(department_id)
    return _rename("department", actor, found, bodies.rename_department, _("The department is renamed."))


@bp.post("/admin/departments/<id:department_id>/retire")
@login_required  # type: ignore[untyped-decorator]
def retire_department(department_id: int) -> ResponseReturnValue:
    actor = administrator()
    found = _department_or_404(department_id)
    return _retire(
        "department",
        actor,
        found,
        bodies.retire_department,
        lambda ended: _("The department is retired; %(n)s grant(s) of its reviewers ended.", n=ended),
    )


# --- renaming and retiring either ----------------------------------------------------------------------------
def _rename(what: str, actor: Actor, found: Any, rename: Callable[..., None], renamed: str) -> ResponseReturnValue:
    """A committee's or department's page (GET), or its new names (POST): `what` is "committee" or "department"."""
    if not _posted():
        return _body_page(what, found, NamesForm(obj=found))
    form = NamesForm()
    if not form.validate():  # the CSRF token; the names are the domain's to check
        return _body_page(what, found, form, refused_form="names"), 422
    try:
        rename(db(), actor, found, form.name.data or "", form.name_en.data or "")
    except WorkflowError as refusal:
        db().rollback()
        return _body_page(what, found, form, refusal=refusal, refused_form="names"), status_of(refusal)
    flash(renamed)
    return redirect(url_for(f"admin.{what}", **{f"{what}_id": found.id}))


def _retire(
    what: str, actor: Actor, found: Any, retire: Callable[..., int], retired: Callable[[int], str]
) -> ResponseReturnValue:
    form = RetireForm()
    if not form.validate():
        return _body_page(what, found, NamesForm(obj=found), refused_form="retire"), 422
    try:
        ended = retire(db(), actor, found, now=utcnow())
    except WorkflowError as refusal:
        db().rollback()
        page = _body_page(what, found, NamesForm(obj=found), refusal=refusal, refused_form="retire")
        return page, status_of(refusal)
    flash(retired(ended))
    return redirect(url_for(f"admin.{what}", **{f"{what}_id": found.id}))


def _posted() -> bool:
    return request.method == "POST"


def _body_page(
    what: str,
    found: Committee | Department,
    form: NamesForm,
    *,
    refusal: WorkflowError | None = None,
    refused_form: str | None = None,
) -> str:
    roles = COMMITTEE_ROLES if what == "committee" else bodies.DEPARTMENT_ROLES
    return render_template(
        "admin/body.html",
        what=what,
        body=found,
        form=form,
        retire_form=RetireForm(),
        seats=bodies.people_in(db(), roles, found.id, utcnow()),
        kinds=DEPARTMENT_KINDS,
        people_pages=_people_pages(),
        person_pages="admin.person" in current_app.view_functions,
        role_title=lambda role: ROLE_TITLES.get(role, {}).get(current(), role),
        refusal=refusal,
        refused_form=refused_form,
        limit=bodies.NAME_LIMIT,
    )
