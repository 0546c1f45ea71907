"""The committee workplace's forms: planning a meeting, and the words a conclusion's recommendation is chosen by."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TimeField
from wtforms.validators import DataRequired, Length

from workflow.council.committees.meetings import PLACE_LIMIT
from workflow.i18n import N_

#: a conclusion's recommendation, by the words the page offers it in (the domain's values stay in the form)
RECOMMENDATION_TITLES = {
    "support": N_("support the draft decision"),
    "support_with_amendments": N_("support the draft decision with amendments"),
    "reject": N_("reject the draft decision"),
}
#: a member's choice as the page names it
CHOICE_TITLES = {
    "for": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstained"),
    "not_voted": N_("did not vote"),
    "absent": N_("absent"),
}
#: a member's place in the committee
ROLE_TITLES = {
    "committee_chair": N_("chair"),
    "committee_secretary": N_("secretary"),
    "committee_member": N_("member"),
}


class MeetingForm(FlaskForm):  # type: ignore[misc]
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date of the meeting."))])
    time = TimeField(_l("Time (Kyiv)"), validators=[DataRequired(_l("Enter the time of the meeting."))])
    place = StringField(
        _l("Place"),
        validators=[
            DataRequired(_l("Say where the committee meets.")),
            Length(max=PLACE_LIMIT, message=_l("A place is at most %(n)s characters.", n=PLACE_LIMIT)),
        ],
    )
