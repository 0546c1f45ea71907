"""The council's settings as an administrator changes them. The total composition is the base of the quorum and
of every majority, so a change is checked against the mandates held now and refused while a sitting is open; the
pattern of decision numbers may use only its three fields, must number each decision, and is previewed on the
next number it would give."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from string import Formatter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow.council.administration.admin import require_admin
from workflow.council.organisation.models import Council
from workflow.council.organisation.queries import council_members
from workflow.council.sittings.models import PlenarySession
from workflow.council.sittings.numbering import roman
from workflow.council.sittings.votes import quorum_for, required_for
from workflow.engine.models import Document
from workflow.errors import InvalidInput, WrongState
from workflow.i18n import N_
from workflow.people import Actor

#: what a decision's number is made of
PATTERN_FIELDS = ("number", "session", "convocation")
NAME_LIMIT = 200  # Council.name
PATTERN_LIMIT = 100  # Council.number_pattern
NUMBER_LIMIT = 64  # Decision.official_number
CONVOCATION_LIMIT = 99
COMPOSITION_LIMIT = 1000
#: the session states in which a sitting is under way
SITTING = ("in_progress",)


@dataclass(frozen=True)
class CouncilSettings:
    name: str
    name_en: str
    convocation: int
    total_composition: int
    number_pattern: str


def change_council(session: Session, actor: Actor, council: Council, wanted: CouncilSettings, *, now: datetime) -> None:
    """Change the council's settings, each checked first; a refusal changes nothing. The caller commits."""
    require_admin(actor)
    name, name_en = _name(wanted.name, required=True), _name(wanted.name_en, required=False)
    if not 1 <= wanted.convocation <= CONVOCATION_LIMIT:
        raise InvalidInput(
            "administration.convocation_range",
            N_("the convocation is a number from 1 to {limit}"),
            limit=CONVOCATION_LIMIT,
        )
    pattern = check_number_pattern(wanted.number_pattern)
    if wanted.total_composition != council.total_composition or wanted.convocation != council.convocation:
        _no_sitting_open(session, council)
    if wanted.total_composition != council.total_composition:
        _check_composition(session, wanted.total_composition, now)
    council.name, council.name_en = name, name_en
    council.convocation = wanted.convocation
    council.total_composition = wanted.total_composition
    council.number_pattern = pattern
    session.flush()


def _name(value: str, *, required: bool) -> str:
    name = " ".join(value.split())
    if required and not name:
        raise InvalidInput("administration.council_name_required", N_("give the council's name"))
    if len(name) > NAME_LIMIT:
        raise InvalidInput(
            "administration.council_name_long", N_("a council's name is at most {limit} characters"), limit=NAME_LIMIT
        )
    return name


def _check_composition(session: Session, total: int, now: datetime) -> None:
    if not 1 <= total <= COMPOSITION_LIMIT:
        raise InvalidInput(
            "administration.composition_range",
            N_("the total composition is a number from 1 to {limit}"),
            limit=COMPOSITION_LIMIT,
        )
    members = len(council_members(session, now))
    if total < members:
        raise InvalidInput(
            "administration.composition_below_mandates",
            N_(
                "{members} members hold a mandate now (the deputies and the mayor): the total composition cannot "
                "be fewer than that"
            ),
            members=members,
        )


def _no_sitting_open(session: Session, council: Council) -> None:
    number = session.scalar(
        select(PlenarySession.number)
        .join(Document, Document.id == PlenarySession.document_id)
        .where(PlenarySession.council_id == council.id, Document.state.in_(SITTING))
        .limit(1)
    )
    if number is not None:
        raise WrongState(
            "administration.sitting_open",
            N_(
                "the sitting of session № {number} is open and counts its quorum and majorities from the total "
                "composition and the convocation: change them after it is closed"
            ),
            number=number,
        )


def check_number_pattern(pattern: str) -> str:
    """The pattern as kept, or why it cannot be: its placeholders are {number}, {session} and {convocation} (a
    format such as {number:03d} is allowed), {number} is among them, and the number it gives fits."""
    pattern = pattern.strip()
    if not pattern:
        raise InvalidInput("administration.pattern_empty", N_("give the pattern of a decision's number"))
    if len(pattern) > PATTERN_LIMIT:
        raise InvalidInput(
            "administration.pattern_long", N_("the pattern is at most {limit} characters"), limit=PATTERN_LIMIT
        )
    try:
        parts = list(Formatter().parse(pattern))
    except ValueError:
        raise InvalidInput(
            "administration.pattern_braces",
            N_("a brace of the pattern is not closed: write a placeholder as {{number}}, a brace itself as {{{{"),
        ) from None
    fields = set()
    for _text, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in PATTERN_FIELDS:
            raise InvalidInput(
                "administration.pattern_unknown_field",
                N_("the pattern may use {{number}}, {{session}} and {{convocation}}, not {{{field}}}"),
                field=field,
            )
        # a width of thousands of digits would fill the memory before any check of the length: at most two
        if conversion or (spec and ("{" in spec or re.search(r"\d{3,}", spec))):
            raise InvalidInput(
                "administration.pattern_conversion",
                N_("write {{{field}}} without a conversion, or with a short format such as {{number:03d}}"),
                field=field,
            )
        fields.add(field)
    if "number" not in fields:
        raise InvalidInput(
            "administration.pattern_needs_number",
            N_("the pattern must contain {{number}}: without it every decision would have the same number"),
        )
    try:
        longest = pattern.format(number=99999, session=999, convocation=roman(CONVOCATION_LIMIT - 11))
    except (ValueError, TypeError) as error:
        raise InvalidInput(
            "administration.pattern_format", N_("the pattern cannot be filled in: {error}"), error=str(error)
        ) from None
    if len(longest) > NUMBER_LIMIT:
        raise InvalidInput(
            "administration.pattern_number_long",
            N_("a number the pattern gives may be longer than {limit} characters ({example})"),
            limit=NUMBER_LIMIT,
            example=longest,
        )
    return pattern


@dataclass(frozen=True)
class NextNumber:
    """The next decision's number as the pattern writes it, and what it is made of."""

    number: int
    session: int
    convocation: str
    text: str


def next_number(session: Session, council: Council, pattern: str | None = None) -> NextNumber:
    """What the next decision signed would be numbered, by `pattern` (the council's by default): the council's
    next running number, at its next session (the first not yet closed, or the one after the last)."""
    upcoming = session.scalar(
        select(PlenarySession.number)
        .join(Document, Document.id == PlenarySession.document_id)
        .where(
            PlenarySession.council_id == council.id,
            PlenarySession.convocation == council.convocation,
            Document.state.in_(("planned", "convened", *SITTING)),
        )
        .order_by(PlenarySession.starts_at)
        .limit(1)
    )
    if upcoming is None:
        last = session.scalar(
            select(func.max(PlenarySession.number)).where(
                PlenarySession.council_id == council.id, PlenarySession.convocation == council.convocation
            )
        )
        upcoming = (last or 0) + 1
    convocation = roman(council.convocation)
    text = (pattern or council.number_pattern).format(
        number=council.next_decision_number, session=upcoming, convocation=convocation
    )
    return NextNumber(council.next_decision_number, upcoming, convocation, text)


@dataclass(frozen=True)
class Counted:
    """What the total composition decides: the members a quorum needs and the votes each majority needs."""

    quorum: int
    majority: int
    two_thirds: int


def counted_from(total: int) -> Counted:
    return Counted(quorum_for(total), required_for("majority", total), required_for("two_thirds", total))
