"""The audit checks an administrator asks for are run by the workers after the commit (`runner.run_pending`), each
over one snapshot of a database of its own, and their outcomes recorded: a verification, a seal, a seal refused
because the production key is missing, and a check taken up by one worker is not taken up by another."""

from __future__ import annotations

from sqlalchemy import select

from tasks import runner
from tests.tasks.test_seals import MORNING, in_production
from tests.tasks.test_seals import runtime as runtime  # a runtime on a database of the test's own: a fixture
from workflow.council.administration import checks
from workflow.council.administration.models import AuditCheck
from workflow.council.organisation import setup
from workflow.engine.seals import seal_files
from workflow.people import load_actor


def ask(runtime, kind: str) -> int:
    with runtime.sessions.begin() as session:
        admin = setup.add_person(session, f"Адмін {kind}", email=f"{kind}@rada.example", roles=["admin"])
        return checks.request_check(session, load_actor(session, admin.id), kind, now=MORNING).id


def outcome(runtime, check_id: int) -> AuditCheck:
    with runtime.sessions() as session:
        found = session.get(AuditCheck, check_id)
        assert found is not None
        return found


def test_a_verification_asked_for_is_run_after_the_commit_and_recorded(runtime):
    check_id = ask(runtime, "verify")

    runner.run_pending(runtime, now=MORNING)

    done = outcome(runtime, check_id)
    assert (done.outcome, done.documents, done.entries, done.findings) == ("ok", 1, 1, [])
    assert done.started_at is not None
    assert done.finished_at is not None
    assert runner.run_audit_checks(runtime, now=MORNING) == 0  # nothing waits any more


def test_a_seal_asked_for_is_made_and_recorded_with_its_file(runtime):
    check_id = ask(runtime, "seal")

    assert runner.run_audit_checks(runtime, now=MORNING) == 1

    done = outcome(runtime, check_id)
    assert [path.name for path in seal_files(runtime.settings.seals_dir)] == [done.seal_name]
    assert (done.outcome, done.documents) == ("ok", 1)


def test_a_seal_refused_for_want_of_a_key_says_why(runtime):
    check_id = ask(runtime, "seal")

    runner.run_audit_checks(in_production(runtime), now=MORNING)

    done = outcome(runtime, check_id)
    assert done.outcome == "refused"
    (said,) = checks.findings_of(done)
    assert said.code == "seal.no_key"
    assert seal_files(runtime.settings.seals_dir) == []


def test_a_check_taken_up_is_not_taken_up_again(runtime):
    check_id = ask(runtime, "verify")
    with runtime.sessions.begin() as session:
        assert checks.take_next(session, now=MORNING) == (check_id, "verify")
    with runtime.sessions.begin() as session:
        assert checks.take_next(session, now=MORNING) is None
        assert session.scalar(select(AuditCheck.started_at).where(AuditCheck.id == check_id)) is not None


def test_a_seal_no_configured_key_can_check_is_not_taken_on_its_word(runtime):
    runner.seal_audit(runtime, now=MORNING)
    runtime.settings.seal_key_file.unlink()  # the key the seal was made with is gone from this host
    check_id = ask(runtime, "verify")

    runner.run_audit_checks(runtime, now=MORNING)

    done = outcome(runtime, check_id)
    assert done.outcome == "broken"
    (said,) = checks.findings_of(done)
    assert str(said).endswith("cannot be checked: no seal key is configured to check it against")
