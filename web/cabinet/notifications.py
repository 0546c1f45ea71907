"""A person's notifications: the list, marking them read, and the count of unread ones in every page's header."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.presenting import local
from web.database import db
from web.ids import parse_ids
from workflow.notifications import inbox
from workflow.timeutil import utcnow


class MarkReadForm(FlaskForm):  # type: ignore[misc]
    """A button: its CSRF token is all it carries."""


@bp.app_context_processor
def _header() -> dict[str, Any]:
    """Who is signed in and how many notifications they have not read, for every page's header."""
    user = signed_in()
    if user is None:
        return {"me": None, "unread": 0}
    try:
        unread = inbox.unread_count(db(), user.id)
    except SQLAlchemyError:  # an error page after a failed write: its session is unusable, the page is not
        unread = 0
    return {"me": user, "unread": unread}


@bp.get("/notifications")
@login_required  # type: ignore[untyped-decorator]
def notifications() -> ResponseReturnValue:
    user = signed_in()
    assert user is not None
    shown = inbox.recent(db(), user.id, limit=100)
    return render_template("cabinet/notifications.html", notifications=shown, form=MarkReadForm(), local=local)


@bp.post("/notifications/read")
@login_required  # type: ignore[untyped-decorator]
def mark_read() -> ResponseReturnValue:
    """Mark the notifications the form names (`id`, repeated) read, or all of them (`all`)."""
    user = signed_in()
    assert user is not None
    MarkReadForm()  # the CSRF token was checked before the view (CSRFProtect); nothing else to validate
    if request.form.get("all"):
        ids = [n.id for n in inbox.unread(db(), user.id)]
    else:
        parsed = parse_ids(request.form.getlist("id"))
        if not parsed:  # no id, or one that names no notification: nothing of the form is done
            return render_template(
                "message.html", title=_("Nothing marked"), message=_("The form named no notification.")
            ), 422
        ids = parsed
    marked = inbox.mark_read(db(), user.id, ids, utcnow())
    flash(_("Marked read: %(n)s.", n=marked))
    return redirect(url_for("cabinet.notifications"))
