"""The council's standing committees for the public: `/committees`, and `/committees/<id>` with its members,
the drafts referred to it that are public, and the conclusions it signed."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from web.database import db
from web.i18n import current
from web.public import bp
from web.public.presenting import helpers
from workflow.council.organisation.models import Committee
from workflow.council.public.committees import committee_sheet, list_committees
from workflow.timeutil import utcnow


def committee_name(committee: Committee) -> str:
    """The committee's name in the reader's language when the council gave one, else as the council wrote it."""
    return committee.name_en if current() == "en" and committee.name_en else committee.name


@bp.get("/committees")
def committees() -> ResponseReturnValue:
    return render_template(
        "public/committees.html", committees=list_committees(db(), utcnow()), name=committee_name, **helpers()
    )


@bp.get("/committees/<id:committee_id>")
def committee(committee_id: int) -> ResponseReturnValue:
    sheet = committee_sheet(db(), committee_id, utcnow())
    if sheet is None:
        abort(404)
    return render_template("public/committee.html", sheet=sheet, name=committee_name, **helpers())
