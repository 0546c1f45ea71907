"""How the portal's pages write what the council's records hold: days and moments in the reader's language and
Kyiv time, a document's stage by its translated title, ballots and results in words."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask_babel import gettext as _

from web.database import db
from web.extension import radaflow
from web.i18n import current, say
from workflow import i18n
from workflow.council.drafts.papers import RECOMMENDATIONS
from workflow.council.sittings.papers import SESSION_KINDS
from workflow.engine.models import Document
from workflow.i18n import KYIV, N_
from workflow.timeutil import as_utc

#: the committee roles as a member's page says them
COMMITTEE_ROLES = {
    "committee_chair": N_("chair"),
    "committee_secretary": N_("secretary of the committee"),
    "committee_member": N_("member"),
}


def day(value: date | datetime) -> str:
    """'18 березня 2026 р.' / '18 March 2026' (a moment is taken in Kyiv)."""
    return i18n.day(value, current())


def time(moment: datetime) -> str:
    """'11:00', Kyiv time."""
    return format_time(as_utc(moment), "HH:mm", tzinfo=KYIV, locale=i18n.babel_locale(current()))


def month(first: date) -> str:
    """'березень 2026' / 'March 2026'."""
    return format_date(first, "LLLL y", locale=i18n.babel_locale(current()))


def when(moment: datetime) -> str:
    return str(_("%(day)s, %(time)s", day=day(moment), time=time(moment)))


def kilobytes(size: int) -> str:
    """A file's size in kilobytes, written as the reader's language writes numbers ('36,5')."""
    return format_decimal(round(size / 1024, 1), locale=i18n.babel_locale(current()))


def iso(moment: datetime) -> str:
    """A moment for <time datetime>, in UTC."""
    return as_utc(moment).isoformat()


def state_title(document: Document) -> str:
    compiled = radaflow().registry.get(document.kind, document.definition_version, db())
    return say(compiled.state(document.state).title)


def session_kind(code: str) -> str:
    return _(SESSION_KINDS[code]) if code in SESSION_KINDS else "—"


def recommendation(code: str | None) -> str:
    if code is None or code not in RECOMMENDATIONS:
        return str(_("no recommendation"))
    return str(_(RECOMMENDATIONS[code]))


def committee_role(code: str) -> str:
    return str(_(COMMITTEE_ROLES.get(code, COMMITTEE_ROLES["committee_member"])))


def helpers() -> dict[str, Any]:
    """What the portal's templates write with."""
    return {
        "day": day,
        "time": time,
        "month": month,
        "when": when,
        "iso": iso,
        "kilobytes": kilobytes,
        "state_title": state_title,
        "session_kind": session_kind,
        "recommendation": recommendation,
        "committee_role": committee_role,
    }
