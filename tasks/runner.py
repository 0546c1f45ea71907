"""What the workers do, as plain functions over a `Runtime`: the Celery tasks call them, and so does the
embedded mode's ticker thread (`tasks.ticker`, woken by each commit). One code path."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tasks.deadlines import Swept, sweep_deadlines
from tasks.effects import handlers
from tasks.mail import deliver_due
from tasks.notify import queue_digests
from workflow.council.administration import checks
from workflow.council.law import KYIV
from workflow.engine import seals
from workflow.engine.outbox import run_due
from workflow.runtime import Runtime
from workflow.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)


@dataclass
class Ran:
    effects_done: int = 0
    effects_failed: int = 0
    mail_sent: int = 0
    mail_failed: int = 0


def run_effects(runtime: Runtime, *, now: datetime | None = None) -> tuple[int, int]:
    """Carry out the outbox rows that are due; (done, failed this time)."""
    return run_due(runtime.sessions, handlers(runtime.settings), now=now, retry_seconds=runtime.settings.retry_seconds)


#: e-mails sent over one SMTP connection before the next is opened (and the queue read again)
MAIL_BATCH = 100


def send_mail(runtime: Runtime, *, now: datetime | None = None) -> tuple[int, int]:
    """Send every e-mail that is due, a batch at a time; (sent, failed this time)."""
    sent = failed = 0
    while True:
        batch_sent, batch_failed = deliver_due(runtime.sessions, runtime.settings, now=now, limit=MAIL_BATCH)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < MAIL_BATCH:
            return sent, failed


def run_pending(runtime: Runtime, *, now: datetime | None = None) -> Ran:
    """The effects, then the e-mails they queued, then the audit checks an administrator asked for: what follows
    a commit."""
    done, failed = run_effects(runtime, now=now)
    sent, unsent = send_mail(runtime, now=now)
    run_audit_checks(runtime, now=now)
    if failed or unsent:
        log.warning("%d effects and %d e-mails failed this time (see `radaflow effects list`)", failed, unsent)
    return Ran(done, failed, sent, unsent)


def run_deadlines(runtime: Runtime, *, now: datetime | None = None) -> Swept:
    swept = sweep_deadlines(runtime, now=now)
    for refusal in swept.refused:
        log.warning("automatic move refused: %s", refusal)
    return swept


def run_digests(runtime: Runtime, *, now: datetime | None = None) -> int:
    """Queue the daily digests once the digest hour (Kyiv time) has come; each person gets one a day however
    often this runs. Returns how many were queued."""
    now = utcnow() if now is None else as_utc(now)
    if now.astimezone(KYIV).hour < runtime.settings.digest_hour:
        return 0
    with runtime.sessions.begin() as session:
        return queue_digests(session, runtime.settings, now)


@dataclass(frozen=True)
class Sealed:
    path: Path
    seal: seals.Seal


def seal_audit(runtime: Runtime, *, now: datetime | None = None) -> Sealed:
    """Seal the heads of every chain now and keep the seal in the seals folder; SealError says why not."""
    settings = runtime.settings
    key = seals.signing_key(settings.seal_key, settings.seal_key_file, may_generate=not settings.is_production)
    latest = seals.latest_seal_file(settings.seals_dir)
    previous = None if latest is None else seals.read_seal(latest)
    with runtime.sessions() as session:
        seals.consistent_reads(session)
        seal = seals.make_seal(session, key, utcnow() if now is None else as_utc(now), previous=previous)
    # the file is written after the read transaction ended: nothing is held open meanwhile
    return Sealed(seals.write_seal(settings.seals_dir, seal), seal)


def run_audit_checks(runtime: Runtime, *, now: datetime | None = None) -> int:
    """Run the audit checks asked for from the administrator's page, oldest first, each taken up in a transaction
    of its own, run over one snapshot of the database (a seal: as `seal_audit`), its outcome recorded in another;
    how many ran. No transaction that writes stays open while a check reads the whole log."""
    ran = 0
    while True:
        with runtime.sessions.begin() as session:
            taken = checks.take_next(session, now=utcnow() if now is None else as_utc(now))
        if taken is None:
            return ran
        check_id, kind = taken
        try:
            if kind == "seal":
                made = seal_audit(runtime, now=now)
                outcome = checks.sealed(made.seal, made.path)
            else:
                with runtime.sessions() as session:
                    seals.consistent_reads(session)
                    outcome = checks.verify_audit(session, runtime.settings)
        except seals.SealError as error:
            outcome = checks.refused(error)
        except Exception as error:  # the check's outcome says it stopped; the effects and e-mail rounds go on
            log.exception("audit check %d (%s) stopped", check_id, kind)
            outcome = checks.stopped(error)
        with runtime.sessions.begin() as session:
            checks.finish(session, check_id, outcome, now=utcnow() if now is None else as_utc(now))
        log.info("audit check %d (%s): %s", check_id, kind, outcome.outcome)
        ran += 1


#: after a refused daily seal, the next try waits this long (the ticker comes by every few seconds)
SEAL_RETRY = timedelta(hours=1)
_seal_refused_at: dict[Path, datetime] = {}


def run_daily_seal(runtime: Runtime, *, now: datetime | None = None) -> Sealed | None:
    """The day's seal (UTC day), once: None when the day has one already or a refusal is being waited out.
    A refusal is logged as an error, loudly, every hour, and never raised: the other rounds go on."""
    now = utcnow() if now is None else as_utc(now)
    directory = runtime.settings.seals_dir
    refused_at = _seal_refused_at.get(directory)
    if seals.sealed_on(directory, now.date()) or (refused_at is not None and now - refused_at < SEAL_RETRY):
        return None
    try:
        sealed = seal_audit(runtime, now=now)
    except seals.SealError as error:
        _seal_refused_at[directory] = now
        log.error("the audit log was not sealed today: %s", error.message)
        return None
    _seal_refused_at.pop(directory, None)
    log.info("sealed the heads of %d document(s) in %s", len(sealed.seal.heads), sealed.path)
    return sealed


def tick(runtime: Runtime, *, now: datetime | None = None) -> Ran:
    """Everything beat schedules, at once: for the embedded mode's ticker and `radaflow effects run`."""
    run_deadlines(runtime, now=now)
    run_digests(runtime, now=now)
    ran = run_pending(runtime, now=now)
    run_daily_seal(runtime, now=now)
    return ran
