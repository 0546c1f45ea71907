"""Checks of the audit log asked for by an administrator: verifying the whole chain, the records under it and the
latest seal, or sealing it now. A check over a big database takes a while, so a page only asks for one (a row,
committed) and shows the last outcome recorded; a worker runs it after the commit, in transactions of its own,
and records what it found. One check waits or runs at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow.config import ConfigError, Settings
from workflow.council.administration.admin import require_admin
from workflow.council.administration.models import AuditCheck
from workflow.engine import seals
from workflow.engine.audit import verify_log
from workflow.engine.writes import row_locks
from workflow.errors import InvalidInput, WrongState
from workflow.i18n import N_, Message, message
from workflow.people import Actor

KINDS = ("verify", "seal")

#: a check taken up longer ago than this and never finished lost its worker: another may be asked for
STALE = timedelta(hours=1)

#: at most this many findings are kept one by one (a count says the rest)
FINDINGS_KEPT = 50


def request_check(session: Session, actor: Actor, kind: str, *, now: datetime) -> AuditCheck:
    """Ask for a check (`verify` or `seal`); refused while another one waits or runs."""
    require_admin(actor)
    if kind not in KINDS:
        raise InvalidInput("administration.unknown_check", N_("there is no such check"))
    waiting = pending_check(session, now=now)
    if waiting is not None:
        raise WrongState(
            "administration.check_waiting",
            N_("a check asked for at {at} has not finished yet; its outcome will be shown on this page"),
            at=waiting.requested_at,
        )
    check = AuditCheck(kind=kind, requested_by_id=actor.id, requested_at=now, findings=[])
    session.add(check)
    session.flush()
    return check


def pending_check(session: Session, *, now: datetime) -> AuditCheck | None:
    """The check that waits or runs (not one whose worker was lost long ago)."""
    return session.scalar(
        select(AuditCheck)
        .where(AuditCheck.finished_at.is_(None), AuditCheck.requested_at > now - STALE)
        .order_by(AuditCheck.id.desc())
        .limit(1)
    )


def last_finished(session: Session) -> AuditCheck | None:
    return session.scalar(
        select(AuditCheck).where(AuditCheck.finished_at.is_not(None)).order_by(AuditCheck.id.desc()).limit(1)
    )


def take_next(session: Session, *, now: datetime) -> tuple[int, str] | None:
    """Take up the oldest waiting check (others skip it): its id and kind, or None. The caller commits."""
    query = (
        select(AuditCheck.id, AuditCheck.kind).where(AuditCheck.started_at.is_(None)).order_by(AuditCheck.id).limit(1)
    )
    if row_locks(session):
        query = query.with_for_update(skip_locked=True)
    found = session.execute(query).first()
    if found is None:
        return None
    taken = session.execute(
        update(AuditCheck)
        .where(AuditCheck.id == found.id, AuditCheck.started_at.is_(None))
        .values(started_at=now)
        .returning(AuditCheck.id)
    ).first()
    return (found.id, found.kind) if taken is not None else None


# --- what a check finds ----------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What a check found: `ok`, `broken` or `refused`, with the counts and each finding in words."""

    outcome: str
    documents: int | None = None
    entries: int | None = None
    findings: list[Message] = field(default_factory=list)
    seal_name: str | None = None


def verify_audit(session: Session, settings: Settings) -> Outcome:
    """Verify the whole log and the records under it, and every sealed document against the latest seal (as
    `radaflow audit verify` does). Reads only; call `seals.consistent_reads` on the session first."""
    findings: list[Message] = []
    seal_path = seals.latest_seal_file(settings.seals_dir)
    seal = None
    if seal_path is not None:
        try:
            seal = seals.read_seal(seal_path)
            expected = seals.verifying_key(settings.seal_key, settings.seal_public_key, settings.seal_key_file)
        except (seals.SealError, ConfigError) as error:
            seal = None
            said = (
                error.detail
                if isinstance(error, seals.SealError)
                else message("administration.config", "{error}", error=error)
            )
            findings.append(said)
        else:
            problem = seals.check_signature(seal, expected)
            if expected is None:  # its own key would vouch for any seal: one configured must
                problem = message(
                    "administration.seal_unchecked",
                    N_("cannot be checked: no seal key is configured to check it against"),
                )
            if problem is not None:
                findings.append(
                    message(
                        "administration.seal_broken",
                        N_("the seal {name} {problem}"),
                        name=seal_path.name,
                        problem=problem,
                    )
                )
                seal = None
    documents, entries, broken = verify_log(session)
    if broken is not None:
        findings.insert(
            0,
            message("administration.log_broken", N_("the log does not hold together: {problem}"), problem=str(broken)),
        )
    if seal is not None:
        findings += [each.said for each in seals.check_against_seal(session, seal)]
    return Outcome(
        "ok" if not findings else "broken",
        documents=documents,
        entries=entries,
        findings=findings,
        seal_name=None if seal_path is None else seal_path.name,
    )


def sealed(seal: seals.Seal, path: Path) -> Outcome:
    return Outcome("ok", documents=len(seal.heads), seal_name=path.name)


def refused(error: seals.SealError) -> Outcome:
    return Outcome("refused", findings=[error.detail])


def stopped(error: Exception) -> Outcome:
    """A check that could not finish (the database went away, ...): said by the kind of error only."""
    return Outcome(
        "refused",
        findings=[
            message(
                "administration.check_stopped",
                N_("the check stopped ({error}); ask for it again"),
                error=type(error).__name__,
            )
        ],
    )


def finish(session: Session, check_id: int, outcome: Outcome, *, now: datetime) -> None:
    """Record what a check found. The caller commits."""
    check = session.get(AuditCheck, check_id)
    if check is None:
        return
    check.finished_at = now
    check.outcome = outcome.outcome
    check.documents = outcome.documents
    check.entries = outcome.entries
    check.seal_name = outcome.seal_name
    kept = [to_json(finding) for finding in outcome.findings[:FINDINGS_KEPT]]
    if len(outcome.findings) > FINDINGS_KEPT:
        kept.append(
            to_json(
                message(
                    "administration.more_findings",
                    N_("... and {more} more"),
                    more=len(outcome.findings) - FINDINGS_KEPT,
                )
            )
        )
    check.findings = kept
    session.flush()


def findings_of(check: AuditCheck) -> list[Message]:
    return [from_json(item) for item in check.findings]


# --- findings kept as JSON ------------------------------------------------------------------------------------
def to_json(value: Message) -> dict[str, Any]:
    return {"code": value.code, "template": value.template, "params": {k: _param(v) for k, v in value.params.items()}}


def _param(value: object) -> object:
    if isinstance(value, Message):
        return {"message": to_json(value)}
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def from_json(item: dict[str, Any]) -> Message:
    params: dict[str, Any] = {}
    for name, value in item.get("params", {}).items():
        params[name] = from_json(value["message"]) if isinstance(value, dict) and "message" in value else value
    return Message(str(item.get("code", "")), str(item.get("template", "")), params)
