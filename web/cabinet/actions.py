"""The action forms: how the inputs an action's operation takes are labelled, and which guards what a form (or a
workplace of its own) asks for satisfies. Words for the page; the domain says only which inputs it takes."""

from __future__ import annotations

from flask_babel import gettext as _

from workflow.council import operations
from workflow.i18n import N_

#: per (kind, trigger), the label of each input the domain's operation takes (`operations.Operation.inputs`)
INPUT_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("citizen_message", "answer_publicly"): {"answer": N_("Answer")},
    ("citizen_message", "answer_privately"): {"answer": N_("Answer")},
}
#: guards that what an action's form asks for satisfies: the page offers the action before they hold
FORM_SATISFIES: dict[tuple[str, str], frozenset[str]] = {
    ("citizen_message", "answer_publicly"): frozenset({"has_answer"}),
    ("citizen_message", "answer_privately"): frozenset({"has_answer"}),
}
#: guards of moves done at a workplace of their own that what that workplace asks for satisfies (the session a
#: draft is put on the agenda of, the committee's opinion on an amendment): not to be held against the move when
#: telling whether it is awaited
WORKPLACE_SATISFIES: dict[tuple[str, str], frozenset[str]] = {
    ("decision_draft", "put_on_agenda"): frozenset({"published_ten_working_days_before_session"}),
    ("amendment", "give_opinion"): frozenset({"has_committee_opinion"}),
    # the committee's meeting (web.cabinet.meetings): the chair writes the conclusion, the committee votes on it,
    # and the adopted vote records the discussion; until then the conclusion waits for its chair and secretary
    ("committee_conclusion", "discuss"): frozenset({"has_recommendation", "committee_vote_held"}),
}


def assumed_guards(kind: str) -> dict[str, frozenset[str]]:
    """Per trigger of `kind`, the guards its form or workplace will satisfy (see `available_actions`)."""
    assumed = {trigger: guards for (k, trigger), guards in FORM_SATISFIES.items() if k == kind}
    assumed.update({trigger: guards for (k, trigger), guards in WORKPLACE_SATISFIES.items() if k == kind})
    return assumed


def input_labels(operation: operations.Operation, kind: str, trigger: str) -> dict[str, str]:
    """The operation's inputs with their labels, in the reader's language (an input with no label by its name)."""
    labels = INPUT_LABELS.get((kind, trigger), {})
    return {name: _(labels[name]) if name in labels else name for name in operation.inputs}
