"""The forms of the drafting workplaces: a draft's text and particulars, a file, the committees it is sent to, an
amendment, the lead committee's opinion and a reviewer's visa."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workflow import limits
from workflow.council.drafts.versions import INITIATOR

#: "no committee proposed" in the lead committee's list
NONE = 0


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """Several choices as checkboxes (each with its label), which every browser and reader handles."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DraftForm(FlaskForm):  # type: ignore[misc]
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the draft a title.")),
            Length(max=limits.TITLE, message=_l("A title is at most %(n)s characters.", n=limits.TITLE)),
        ],
    )
    body = TextAreaField(
        _l("Text of the decision"),
        validators=[
            Length(max=limits.FIELD_TEXT, message=_l("The text is at most %(n)s characters.", n=limits.FIELD_TEXT))
        ],
    )
    initiator = StringField(
        _l("Initiator (who proposes the decision)"),
        validators=[Length(max=INITIATOR, message=_l("At most %(n)s characters.", n=INITIATOR))],
    )
    majority = RadioField(
        _l("Majority the decision needs"),
        choices=[
            SelectChoice("majority", _l("more than half of the council's total composition")),
            SelectChoice("two_thirds", _l("two thirds of the council's total composition")),
        ],
        default="majority",
        validators=[InputRequired(_l("Choose the majority the decision needs."))],
    )
    lead_committee = SelectField(_l("Lead committee (proposed)"), coerce=int, default=NONE)
    advisory_committees = CheckboxesField(_l("Advisory committees (proposed)"), coerce=int, default=[])
    #: the draft's version the form was opened at (editing only)
    version = HiddenField()


class FileForm(FlaskForm):  # type: ignore[misc]
    file = FileField(_l("File (PDF, DOCX, ODT, XLSX, PNG or JPEG)"))
    #: the attachment a new version replaces (empty: a new attachment)
    replaces = HiddenField()


class ReferralForm(FlaskForm):  # type: ignore[misc]
    lead_committee = SelectField(
        _l("Lead committee"), coerce=int, validators=[InputRequired(_l("Choose the lead committee."))]
    )
    advisory_committees = CheckboxesField(_l("Advisory committees"), coerce=int, default=[])
    version = HiddenField()


class AmendmentForm(FlaskForm):  # type: ignore[misc]
    replace = TextAreaField(
        _l("Words of the text to change (copied from the text exactly)"),
        validators=[
            DataRequired(_l("Copy the words of the text that the amendment changes.")),
            Length(max=limits.FIELD_TEXT),
        ],
    )
    wording = TextAreaField(
        _l("New wording (empty: the words are deleted)"),
        validators=[Optional(), Length(max=limits.FIELD_TEXT)],
    )
    text = TextAreaField(
        _l("What the amendment changes and why"),
        validators=[
            DataRequired(_l("Say what the amendment changes and why.")),
            Length(max=limits.FIELD_TEXT),
        ],
    )


class OpinionForm(FlaskForm):  # type: ignore[misc]
    opinion = RadioField(
        _l("The committee's opinion"),
        choices=[
            SelectChoice("support", _l("support the amendment")),
            SelectChoice("reject", _l("reject the amendment")),
        ],
        validators=[InputRequired(_l("Choose the committee's opinion."))],
    )
    reasoning = TextAreaField(_l("Reasoning"), validators=[Optional(), Length(max=limits.COMMENT)])
    version = HiddenField()


class VisaForm(FlaskForm):  # type: ignore[misc]
    remarks = TextAreaField(
        _l("Remarks (required to return the draft)"), validators=[Optional(), Length(max=limits.COMMENT)]
    )
    version = HiddenField()
