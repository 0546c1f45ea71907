"""The vote page of the sitting console (`/cabinet/sessions/<id>/sitting/vote?purpose=...&subject=...`): one
question, and three ways to take its vote — ticking every member's ballot (defaults from the registration; "all
for" then the exceptions), importing the hall voting system's file, or holding it open for the members to vote
from their cabinets. Each is recorded through the same operation, checked against the registration, and kept
under the session's chain with how it was taken."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.datastructures import FileStorage

from web.cabinet import bp
from web.cabinet.sitting import arithmetic, back, members_of, plenary_of, refused, secretary_only
from web.database import db
from web.errors import status_of
from web.i18n import say
from web.ids import parse_ids
from workflow.council.organisation.queries import the_council
from workflow.council.sittings import cabinet_votes, hall, hall_names
from workflow.council.sittings.conflicts import conflicted
from workflow.council.sittings.questions import Question, Source, put_to_vote, question
from workflow.council.sittings.votes import CHOICES, quorum_for, required_for
from workflow.errors import InvalidInput, WorkflowError
from workflow.i18n import N_, Joined
from workflow.timeutil import utcnow

#: the choices a ticked ballot offers a registered member, in the order shown
TICK_CHOICES = ("for", "against", "abstain", "not_voted")
#: the longest name of an uploaded file kept with the vote
FILE_NAME_LIMIT = 255


@dataclass(frozen=True)
class BallotRow:
    person_id: int
    name: str
    registered: bool
    conflicted: bool
    #: the choice the form shows ticked
    choice: str


def _asked(document_id: int) -> Question:
    plenary = plenary_of(document_id)
    ids = parse_ids([request.values.get("subject", "")])
    purpose = request.values.get("purpose", "")
    if ids is None:
        raise InvalidInput("sitting.no_question", N_("say which question is put to the vote"))
    return question(db(), plenary, purpose, ids[0])


def _page(
    document_id: int,
    *,
    refusal: WorkflowError | None = None,
    preset: str | None = None,
    ticked: dict[int, str] | None = None,
) -> ResponseReturnValue:
    session = db()
    plenary = plenary_of(document_id)
    try:
        asked = _asked(document_id)
    except WorkflowError as wrong:
        return render_template("error.html", error=wrong, status=status_of(wrong)), status_of(wrong)
    council = the_council(session)
    declared = conflicted(session, asked.subject.id)
    rows = []
    for member in members_of(plenary):
        registered = bool(member.present)
        default = "absent"
        if registered:
            default = "not_voted" if member.person.id in declared or preset is None else preset
        choice = (ticked or {}).get(member.person.id, default)
        rows.append(
            BallotRow(member.person.id, member.person.full_name, registered, member.person.id in declared, choice)
        )
    open_vote = cabinet_votes.open_vote_of(session, plenary.id)
    page = render_template(
        "cabinet/sitting_vote.html",
        plenary=plenary,
        asked=asked,
        rows=rows,
        choices=TICK_CHOICES,
        choice_titles={c: say(hall.choice_title(c)) for c in CHOICES},
        registered=sum(1 for r in rows if r.registered),
        total=council.total_composition,
        quorum=quorum_for(council.total_composition),
        required=required_for(asked.threshold, council.total_composition),
        open_vote=open_vote,
        this_open=open_vote is not None
        and open_vote.subject_id == asked.subject.id
        and open_vote.purpose == asked.purpose,
        cast=0 if open_vote is None else len(cabinet_votes.cast_ballots(session, open_vote.id)),
        refusal=refusal,
        formats=", ".join(hall.FORMATS),
    )
    return page, (200 if refusal is None else status_of(refusal))


def _refused(document_id: int, refusal: WorkflowError, ticked: dict[int, str] | None = None) -> ResponseReturnValue:
    db().rollback()
    return _page(document_id, refusal=refusal, ticked=ticked)


def _recorded(document_id: int, text: str) -> ResponseReturnValue:
    flash(_("The vote is recorded: %(arithmetic)s.", arithmetic=text))
    return back(document_id, "#votes")


@bp.get("/cabinet/sessions/<id:document_id>/sitting/vote")
@login_required  # type: ignore[untyped-decorator]
def sitting_vote(document_id: int) -> ResponseReturnValue:
    plenary_of(document_id)
    try:
        secretary_only()
    except WorkflowError as refusal:
        return render_template("error.html", error=refusal, status=403), 403
    preset = request.args.get("preset")
    return _page(document_id, preset=preset if preset in TICK_CHOICES else None)


def _ticked_ballots() -> dict[int, str]:
    """The posted ballots (`ballot-<member id>=<choice>`): every one a member's id and a known choice."""
    ballots: dict[int, str] = {}
    for key, value in request.form.items():
        if not key.startswith("ballot-"):
            continue
        ids = parse_ids([key.removeprefix("ballot-")])
        if ids is None or value not in CHOICES:
            raise InvalidInput("sitting.bad_ballot", N_("a ballot of the form is not one the form offers"))
        ballots[ids[0]] = value
    return ballots


@bp.post("/cabinet/sessions/<id:document_id>/sitting/vote/ticked")
@login_required  # type: ignore[untyped-decorator]
def vote_ticked(document_id: int) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    ticked: dict[int, str] = {}
    try:
        secretary = secretary_only()
        asked = _asked(document_id)
        ticked = _ticked_ballots()
        # what the form shows as "absent" (not registered) is no ballot: the operation fills it in and checks it
        ballots = {person: choice for person, choice in ticked.items() if choice != "absent"}
        vote = put_to_vote(db(), plenary, secretary, asked, ballots, Source("ticked"), now=utcnow())
    except WorkflowError as refusal:
        return _refused(document_id, refusal, ticked)
    return _recorded(document_id, arithmetic(vote))


def _uploaded() -> tuple[str, bytes]:
    upload = request.files.get("file")
    if not isinstance(upload, FileStorage) or not upload.filename:
        raise InvalidInput("sitting.no_file", N_("choose the file of the hall's voting system"))
    name = upload.filename[-FILE_NAME_LIMIT:]
    return name, upload.read(hall.MAX_BYTES + 1)


@bp.post("/cabinet/sessions/<id:document_id>/sitting/vote/imported")
@login_required  # type: ignore[untyped-decorator]
def vote_imported(document_id: int) -> ResponseReturnValue:
    """The hall system's file: every name matched to a member, or nothing recorded and every problem listed."""
    plenary = plenary_of(document_id)
    try:
        secretary = secretary_only()
        asked = _asked(document_id)
        name, content = _uploaded()
        kind, questions = hall.read_file(name, content)
        chosen = _chosen_question(questions)
        members = {row.person.id: row.person.full_name for row in members_of(plenary)}
        registered = {row.person.id for row in members_of(plenary) if row.present}
        matching = hall_names.match_votes(chosen.votes, members, registered)
        if matching.problems:
            raise InvalidInput(
                "sitting.names_do_not_match",
                N_("nothing was recorded: {n} problems with the names in the file must be put right first"),
                n=len(matching.problems),
                reasons=matching.problems,
            )
        ballots = {person: choice for person, choice in matching.ballots.items() if choice != "absent"}
        source = Source(
            "imported",
            file_name=name,
            file_format=kind,
            file_sha256=hashlib.sha256(content).hexdigest(),
            file_question=chosen.number,
        )
        vote = put_to_vote(db(), plenary, secretary, asked, ballots, source, now=utcnow())
    except WorkflowError as refusal:
        return _refused(document_id, refusal)
    return _recorded(document_id, arithmetic(vote))


def _chosen_question(questions: list[hall.HallQuestion]) -> hall.HallQuestion:
    raw = (request.form.get("question") or "").strip()
    if not raw:
        if len(questions) == 1:
            return questions[0]
        raise InvalidInput(
            "sitting.which_question",
            N_("the file holds {n} questions: give the number of the one voted now ({questions})"),
            n=len(questions),
            questions=Joined(tuple(f"{q.number}. {q.title}" for q in questions), "; "),
        )
    numbers = parse_ids([raw])
    found = None if numbers is None else next((q for q in questions if q.number == numbers[0]), None)
    if found is None:
        raise InvalidInput(
            "sitting.no_such_question",
            N_("the file has no question {number}: it holds {n}"),
            number=raw[:10],
            n=len(questions),
        )
    return found


@bp.post("/cabinet/sessions/<id:document_id>/sitting/vote/open")
@login_required  # type: ignore[untyped-decorator]
def vote_open(document_id: int) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    try:
        secretary = secretary_only()
        asked = _asked(document_id)
        cabinet_votes.open_for_cabinets(db(), plenary, secretary, asked, now=utcnow())
    except WorkflowError as refusal:
        return _refused(document_id, refusal)
    flash(_("The question is open: the registered members vote from their cabinets until you close it."))
    return redirect(
        url_for("cabinet.sitting_vote", document_id=document_id, purpose=asked.purpose, subject=asked.subject.id)
    )


@bp.post("/cabinet/sessions/<id:document_id>/sitting/vote/<any(close, withdraw):action>")
@login_required  # type: ignore[untyped-decorator]
def vote_close(document_id: int, action: str) -> ResponseReturnValue:
    plenary = plenary_of(document_id)
    try:
        secretary = secretary_only()
        open_vote = cabinet_votes.open_vote_of(db(), plenary.id)
        if open_vote is None:
            raise InvalidInput("cabinet_votes.closed", N_("the vote is closed: no more ballots are taken"))
        if action == "withdraw":
            cabinet_votes.withdraw(db(), plenary, secretary, open_vote.id, now=utcnow())
        else:
            asked = question(db(), plenary, open_vote.purpose, open_vote.subject_id)
            vote = cabinet_votes.close(db(), plenary, secretary, open_vote.id, asked, now=utcnow())
    except WorkflowError as refusal:
        return refused(document_id, refusal)
    if action == "withdraw":
        flash(_("The open vote is withdrawn; nothing was recorded."))
        return back(document_id)
    flash(_("The vote is closed and recorded: %(arithmetic)s.", arithmetic=arithmetic(vote)))
    return back(document_id, "#votes")
