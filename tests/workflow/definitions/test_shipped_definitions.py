"""The shipped definitions, loaded with the council's real catalog: the facts of the law and of the council's
procedure that each kind encodes. An edit of a YAML file that changes one of them must change this file too,
deliberately."""

from __future__ import annotations

import pytest

from workflow.config import PROJECT_ROOT
from workflow.council.catalog import CATALOG
from workflow.definitions.compiled import CompiledDefinition, Move
from workflow.definitions.loader import load_directory
from workflow.definitions.schema import Deadline
from workflow.engine.models import Document
from workflow.people import Actor

DEFINITIONS = PROJECT_ROOT / "definitions"

#: every kind the council handles, at the version it ships
VERSIONS = {
    "agenda_item": 1,
    "amendment": 2,
    "citizen_message": 2,
    "committee_conclusion": 2,
    "committee_meeting": 1,
    "decision_draft": 2,
    "delegation": 2,
    "session": 1,
    "session_protocol": 1,
    "visa": 1,
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, CompiledDefinition]:
    return {compiled.kind: compiled for compiled in load_directory(DEFINITIONS, CATALOG)}


def moves(definition: CompiledDefinition, trigger: str) -> list[Move]:
    """The compiled moves of a trigger, one per state it may be fired from."""
    found = [move for (_, name), move in definition.moves.items() if name == trigger]
    assert found, f"{definition.kind} has no trigger {trigger!r}"
    return found


# --- the kinds -------------------------------------------------------------------------------------------------
def test_the_council_s_ten_kinds_load_at_their_versions_with_the_real_catalog(shipped):
    assert {kind: compiled.version for kind, compiled in shipped.items()} == VERSIONS
    for compiled in shipped.values():
        for move in compiled.moves.values():
            # the guards a document meets are the council's own functions, not look-alikes
            assert all(guard is CATALOG.guards[guard.name] for guard in move.guards), (compiled.kind, move.trigger)


CREATE = {
    "agenda_item": {"secretary", "system"},
    "amendment": {"deputy"},
    "citizen_message": {"citizen"},
    "committee_conclusion": {"system", "secretary"},
    # a committee's meeting is planned by those who run that committee (the operation checks which committee)
    "committee_meeting": {"committee_chair", "committee_secretary"},
    "decision_draft": {"staff", "deputy", "secretary", "mayor"},
    "delegation": {"admin", "mayor", "secretary", "reviewer", "committee_chair"},
    "session": {"secretary"},
    "session_protocol": {"secretary", "system"},
    "visa": {"system", "secretary"},
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_every_kind_is_created_only_by_global_roles(shipped, kind):
    create = shipped[kind].definition.create

    assert set(create) == CREATE[kind]
    for role in create:
        # a relative role (author, committee_chair_here, ...) needs a document to hold for: none exists yet
        assert CATALOG.roles[role].resolver is None, f"{kind}: {role!r} is not a role a person holds council-wide"


# --- the law's conditions --------------------------------------------------------------------------------------
GUARDS = [
    ("decision_draft", "submit", {"has_text"}),
    ("decision_draft", "publish_for_discussion", {"all_visas_given"}),
    (
        "decision_draft",
        "put_on_agenda",
        {"all_committee_conclusions_signed", "published_ten_working_days_before_session"},
    ),
    ("decision_draft", "adopt", {"draft_vote_adopted"}),
    ("decision_draft", "reject", {"draft_vote_rejected"}),
    ("decision_draft", "veto", {"within_veto_period"}),
    ("decision_draft", "override_veto", {"veto_overridden_by_two_thirds"}),
    ("committee_conclusion", "discuss", {"has_recommendation", "committee_vote_held"}),
    ("committee_conclusion", "sign", {"has_recommendation"}),
    ("session", "convene", {"convened_in_time", "agenda_not_empty"}),
    ("session", "open", {"session_day_reached"}),
    ("session", "close", {"every_item_has_outcome"}),
    ("agenda_item", "include", {"inclusion_voted"}),
    ("agenda_item", "consider", {"session_in_progress"}),
    ("agenda_item", "adopt", {"item_vote_adopted"}),
    ("agenda_item", "reject", {"item_vote_rejected"}),
    ("amendment", "submit", {"has_text"}),
    ("amendment", "give_opinion", {"has_committee_opinion"}),
    ("amendment", "adopt", {"amendment_vote_adopted"}),
    ("amendment", "reject", {"amendment_vote_rejected"}),
    ("citizen_message", "answer_publicly", {"has_answer"}),
    ("citizen_message", "answer_privately", {"has_answer"}),
    ("delegation", "expire", {"delegation_period_over"}),
]


@pytest.mark.parametrize(("kind", "trigger", "guards"), GUARDS)
def test_a_move_the_law_conditions_is_guarded_from_every_state_it_leaves(shipped, kind, trigger, guards):
    for move in moves(shipped[kind], trigger):
        assert {guard.name for guard in move.guards} == guards, f"{kind}.{trigger} from {move.source}"


# --- who may do what -------------------------------------------------------------------------------------------
ROLES = [
    ("decision_draft", "submit", {"author"}),
    ("decision_draft", "withdraw", {"author"}),
    ("decision_draft", "put_on_agenda", {"secretary"}),
    ("decision_draft", "adopt", {"secretary", "system"}),
    ("decision_draft", "reject", {"secretary", "system"}),
    ("decision_draft", "sign", {"mayor"}),
    ("decision_draft", "veto", {"mayor"}),
    ("decision_draft", "override_veto", {"secretary"}),
    ("committee_conclusion", "discuss", {"committee_chair_here", "committee_secretary_here"}),
    ("committee_conclusion", "sign", {"committee_chair_here"}),
    ("committee_conclusion", "send_back", {"committee_chair_here"}),
    ("committee_meeting", "open", {"committee_chair_here", "committee_secretary_here"}),
    ("committee_meeting", "close", {"committee_chair_here", "committee_secretary_here"}),
    ("session", "convene", {"secretary"}),
    ("session", "open", {"session_chair", "secretary"}),
    ("session_protocol", "sign", {"session_chair"}),
    ("agenda_item", "include", {"secretary"}),
    ("amendment", "submit", {"author"}),
    ("amendment", "give_opinion", {"lead_committee_chair"}),
    ("citizen_message", "read", {"addressee"}),
    ("citizen_message", "answer_publicly", {"addressee"}),
    ("citizen_message", "answer_privately", {"addressee"}),
    ("visa", "give", {"department_reviewer"}),
    ("visa", "return", {"department_reviewer"}),
    ("delegation", "expire", {"system"}),
]


@pytest.mark.parametrize(("kind", "trigger", "roles"), ROLES)
def test_a_move_is_made_only_by_the_roles_the_procedure_names(shipped, kind, trigger, roles):
    for move in moves(shipped[kind], trigger):
        assert set(move.roles) == roles, f"{kind}.{trigger} from {move.source}"


EDIT = [
    ("decision_draft", "drafting", {"author"}),
    ("decision_draft", "visas", set()),
    ("decision_draft", "on_agenda", set()),
    ("committee_conclusion", "prepared", {"committee_member_here"}),
    # discussed: the text the committee voted on is what the chair signs; nobody edits it any more
    ("committee_conclusion", "discussed", set()),
    ("committee_conclusion", "signed", set()),
    ("citizen_message", "delivered", {"addressee"}),
    ("session", "planned", {"secretary"}),
    ("session", "in_progress", set()),
    ("session_protocol", "drafted", {"secretary"}),
    ("session_protocol", "signed", set()),
]


@pytest.mark.parametrize(("kind", "state", "roles"), EDIT)
def test_a_document_is_edited_only_by_whom_its_state_allows(shipped, kind, state, roles):
    assert set(shipped[kind].state(state).edit) == roles


def test_relative_roles_hold_for_this_document_only():
    chair_of_3 = Actor(id=7, roles=frozenset({"committee_chair"}), scopes={"committee_chair": frozenset({3})})
    secretary_of_3 = Actor(
        id=8, roles=frozenset({"committee_secretary"}), scopes={"committee_secretary": frozenset({3})}
    )
    legal_reviewer = Actor(id=9, roles=frozenset({"reviewer"}), scopes={"reviewer": frozenset({1})})
    deputy = Actor(id=10, roles=frozenset({"deputy"}))

    def holds(role: str, actor: Actor, **document: object) -> bool:
        resolver = CATALOG.roles[role].resolver
        assert resolver is not None, f"{role!r} is a global role"
        return resolver(Document(**document), actor)

    assert holds("committee_chair_here", chair_of_3, fields={"committee_id": 3})
    assert not holds("committee_chair_here", chair_of_3, fields={"committee_id": 4})
    assert holds("committee_secretary_here", secretary_of_3, fields={"committee_id": 3})
    assert not holds("committee_chair_here", secretary_of_3, fields={"committee_id": 3})
    assert holds("committee_member_here", chair_of_3, fields={"committee_id": 3}), "the chair is a member too"
    assert holds("department_reviewer", legal_reviewer, fields={"department_id": 1})
    assert not holds("department_reviewer", legal_reviewer, fields={"department_id": 2})
    assert holds("addressee", deputy, fields={"deputy_id": 10})
    assert not holds("addressee", deputy, fields={"deputy_id": 11})
    assert holds("author", deputy, author_id=10, fields={})
    assert not holds("author", Actor.system(), author_id=None, fields={}), "the system is nobody's author"


# --- reasons on record -----------------------------------------------------------------------------------------
COMMENT_REQUIRED = {
    "agenda_item": {"postpone", "remove"},
    "amendment": {"withdraw", "cancel"},
    "citizen_message": set(),
    "committee_conclusion": {"send_back", "cancel"},
    "committee_meeting": {"cancel"},
    "decision_draft": {"postpone", "veto", "revise_after_veto", "drop", "return_for_revision", "withdraw"},
    "delegation": {"revoke"},
    "session": {"cancel"},
    "session_protocol": {"send_back"},
    "visa": {"return", "invalidate"},
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_a_move_that_needs_a_reason_requires_a_comment(shipped, kind):
    required = {move.trigger for move in shipped[kind].moves.values() if move.comment == "required"}

    assert required == COMMENT_REQUIRED[kind]


# --- where documents end ---------------------------------------------------------------------------------------
ENDS = {
    "agenda_item": ("proposed", {"adopted", "rejected", "postponed", "removed"}),
    "amendment": ("drafted", {"adopted", "rejected", "withdrawn", "cancelled"}),
    "citizen_message": ("sent", {"closed"}),
    "committee_conclusion": ("prepared", {"signed", "cancelled"}),
    "committee_meeting": ("planned", {"closed", "cancelled"}),
    "decision_draft": ("drafting", {"in_force", "rejected", "dropped", "withdrawn"}),
    "delegation": ("active", {"revoked", "expired"}),
    "session": ("planned", {"closed", "cancelled"}),
    "session_protocol": ("drafted", {"published"}),
    "visa": ("requested", {"returned", "invalidated", "cancelled"}),
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_each_kind_starts_and_ends_where_the_procedure_does(shipped, kind):
    compiled = shipped[kind]
    initial, finals = ENDS[kind]

    assert compiled.initial == initial
    assert {name for name, state in compiled.definition.states.items() if state.final} == finals
    for final in finals:
        assert compiled.moves_from[final] == (), f"{kind}: a move leaves final state {final!r}"


LAWFUL_PATHS = {
    "agenda_item": ("proposed", ["include", "consider", "adopt"], "adopted"),
    "amendment": ("drafted", ["submit", "give_opinion", "adopt"], "adopted"),
    "citizen_message": ("sent", ["read", "answer_publicly", "close"], "closed"),
    "committee_conclusion": ("prepared", ["discuss", "sign"], "signed"),
    "committee_meeting": ("planned", ["open", "close"], "closed"),
    "decision_draft": (
        "drafting",
        [
            "submit",
            "publish_for_discussion",
            "send_to_committees",
            "put_on_agenda",
            "adopt",
            "sign",
            "publish",
            "enter_into_force",
        ],
        "in_force",
    ),
    "delegation": ("active", ["expire"], "expired"),
    "session": ("planned", ["convene", "open", "close"], "closed"),
    "session_protocol": ("drafted", ["check", "sign", "publish"], "published"),
    "visa": ("requested", ["give"], "given"),
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_the_machine_walks_each_kind_s_ordinary_path(shipped, kind):
    compiled = shipped[kind]
    state, triggers, end = LAWFUL_PATHS[kind]

    assert state == compiled.initial
    for trigger in triggers:
        move = compiled.move(state, trigger)
        assert move is not None, f"{kind}: no {trigger!r} from {state!r}"
        state = move.dest
    assert state == end


def test_a_veto_goes_back_to_the_council_and_a_signed_conclusion_never_changes(shipped):
    draft, conclusion = shipped["decision_draft"], shipped["committee_conclusion"]

    assert {move.trigger: move.dest for move in draft.moves_from["adopted"]} == {
        "sign": "signed",
        "veto": "vetoed",
        "veto_period_ends": "signed",
    }
    assert {move.trigger: move.dest for move in draft.moves_from["vetoed"]} == {
        "override_veto": "signed",
        "revise_after_veto": "drafting",
        "drop": "dropped",
    }
    assert not draft.state("adopted").final, "an adopted decision waits for the mayor's signature or veto"
    assert conclusion.state("signed").final
    assert conclusion.moves_from["signed"] == ()


# --- the law's periods -----------------------------------------------------------------------------------------
DEADLINES = {
    "agenda_item": {},
    "amendment": {"submitted": Deadline(days=5, working=True)},
    # the deputy's clock runs from the day the message was sent, read or not
    "citizen_message": {"sent": Deadline(days=10, working=True), "delivered": Deadline(days=10, working=True)},
    "committee_conclusion": {"prepared": Deadline(days=10, working=True)},
    "committee_meeting": {},
    "decision_draft": {
        "visas": Deadline(days=5, working=True),
        # the mayor may veto within five (calendar) days; the council reconsiders a veto within two weeks
        "adopted": Deadline(days=5, working=False),
        "vetoed": Deadline(days=14, working=False),
        # a signed decision is published within five working days
        "signed": Deadline(days=5, working=True),
    },
    # a delegation runs until the end of the period it names
    "delegation": {"active": Deadline(until="ends_at")},
    "session": {},
    "session_protocol": {"signed": Deadline(days=5, working=True)},
    "visa": {"requested": Deadline(days=3, working=True)},
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_each_state_the_law_times_has_its_deadline_and_no_other_has_one(shipped, kind):
    deadlines = {
        name: Deadline(days=state.deadline.days, until=state.deadline.until, working=state.deadline.working)
        for name, state in shipped[kind].definition.states.items()
        if state.deadline
    }

    assert deadlines == DEADLINES[kind]


#: what the deadline sweep does, per state: (remind_before, reminded, told when overdue, the automatic move)
SWEEP = {
    ("amendment", "submitted"): (1, ("lead_committee_chair",), ("secretary",), None),
    ("citizen_message", "sent"): (2, ("addressee",), ("addressee", "secretary"), None),
    ("citizen_message", "delivered"): (2, ("addressee",), ("addressee", "secretary"), None),
    ("committee_conclusion", "prepared"): (2, ("committee_chair_here",), ("committee_chair_here", "secretary"), None),
    ("decision_draft", "visas"): (None, (), ("author", "secretary"), None),
    # the mayor is reminded the day before the veto period ends; then the decision stands signed by law
    ("decision_draft", "adopted"): (1, ("mayor",), (), "veto_period_ends"),
    ("decision_draft", "vetoed"): (3, ("secretary",), ("secretary", "author"), None),
    ("decision_draft", "signed"): (1, ("secretary",), ("secretary",), None),
    # the grant stops counting by itself; the sweep marks the delegation expired and tells both sides
    ("delegation", "active"): (None, (), (), "expire"),
    ("session_protocol", "signed"): (1, ("secretary",), ("secretary",), None),
    ("visa", "requested"): (1, ("department_reviewer",), ("department_reviewer",), None),
}


def test_the_sweep_reminds_escalates_and_moves_as_each_state_declares(shipped):
    declared = {
        (kind, name): (d.remind_before, d.remind, d.escalate, d.on_expiry)
        for kind, compiled in shipped.items()
        for name, state in compiled.definition.states.items()
        if (d := state.deadline) is not None
    }

    assert declared == SWEEP
    expiry = shipped["decision_draft"].move("adopted", "veto_period_ends")
    assert expiry is not None
    assert expiry.roles == (Actor.SYSTEM_ROLE,)


# --- what the public sees --------------------------------------------------------------------------------------
PUBLIC = {
    "agenda_item": {"proposed", "included", "considering", "adopted", "rejected", "postponed", "removed"},
    "amendment": {"submitted", "committee_opinion", "adopted", "rejected"},
    "citizen_message": {"answered_publicly"},
    "committee_conclusion": {"signed"},
    # the law asks committees to publish their agendas and protocols: a meeting is public from its planning
    "committee_meeting": {"planned", "in_progress", "closed", "cancelled"},
    "decision_draft": {
        "public_discussion",
        "committee_review",
        "on_agenda",
        "postponed",
        "adopted",
        "vetoed",
        "signed",
        "published",
        "in_force",
        "rejected",
        "dropped",
    },
    "delegation": set(),
    "session": {"convened", "in_progress", "closed", "cancelled"},
    "session_protocol": {"published"},
    "visa": set(),
}


@pytest.mark.parametrize("kind", sorted(VERSIONS))
def test_the_portal_shows_exactly_the_public_states(shipped, kind):
    public = {name for name, state in shipped[kind].definition.states.items() if state.public}

    assert public == PUBLIC[kind]


# --- what a move sets off --------------------------------------------------------------------------------------
def effects(compiled: CompiledDefinition, trigger: str) -> dict[str, dict[str, object]]:
    """A trigger's effects by name, with their parameters (the same from every state it may be fired from)."""
    first, *others = moves(compiled, trigger)
    assert all(move.effects == first.effects for move in others), f"{compiled.kind}.{trigger}"
    return {effect.name: effect.params for effect in first.effects}


def test_numbers_documents_and_returns_follow_from_the_right_moves(shipped):
    draft = shipped["decision_draft"]

    # a decision gets its number and its document when it is signed, by the mayor, over the veto or because the
    # veto period ran out, and only then
    numbered = {
        move.trigger
        for move in draft.moves.values()
        if "assign_number" in (spec.name for spec, _params in move.consequences)
    }
    assert numbered == {"sign", "override_veto", "veto_period_ends"}
    for trigger in ("sign", "override_veto", "veto_period_ends"):
        assert effects(draft, trigger)["render_docx"] == {"template": "decision"}
    assert effects(shipped["committee_conclusion"], "sign")["render_docx"] == {"template": "committee_conclusion"}
    assert effects(shipped["session"], "convene")["render_docx"] == {"template": "agenda"}
    assert effects(shipped["session_protocol"], "check")["render_docx"] == {"template": "protocol"}
    assert effects(shipped["session"], "convene")["notify"] == {
        "roles": ["deputy", "mayor"],
        "template": "session_convened",
    }

    # a visa returned with remarks sends the draft back, as the system, from where it waits for visas
    assert effects(shipped["visa"], "return")["fire_parent"] == {"trigger": "return_for_revision"}
    returned = draft.move("visas", "return_for_revision")
    assert returned is not None
    assert Actor.SYSTEM_ROLE in returned.roles
    assert returned.dest == "drafting"
