"""How the portal names what the deputies' pages show: choices, results, committee roles, in the reader's
language; and the links between the portal's pages that other page families own."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from web.i18n import current

#: one member's choice (the "ballot" context: in Ukrainian the singular, where a chart's counts take the plural)
CHOICE_TITLES = {
    "for": lazy_pgettext("ballot", "For"),
    "against": lazy_pgettext("ballot", "Against"),
    "abstain": lazy_pgettext("ballot", "Abstained"),
    "not_voted": lazy_pgettext("ballot", "Did not vote"),
    "absent": lazy_pgettext("ballot", "Absent"),
}
RESULT_TITLES = {"adopted": _l("Adopted"), "rejected": _l("Rejected")}
SEAT_TITLES = {
    "committee_chair": _l("chair"),
    "committee_secretary": _l("secretary"),
    "committee_member": _l("member"),
}


def committee_name(name: str, name_en: str) -> str:
    return name_en if current() == "en" and name_en else name


def document_link(endpoint: str, document_id: int, *, external: bool = False) -> str:
    """A public page of a document (`public.decision`, `public.draft`) where the portal has one, else the
    document's own page, which shows anyone what its public state allows."""
    if endpoint in current_app.view_functions:
        return url_for(endpoint, document_id=document_id, _external=external)
    return url_for("cabinet.document", document_id=document_id, _external=external)
