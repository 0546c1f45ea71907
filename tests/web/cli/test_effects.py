"""`radaflow effects` and `radaflow mail`: what an administrator sees of effects and e-mails that failed, and
putting them back in line by hand; all or nothing."""

from __future__ import annotations

from sqlalchemy import select, update

from workflow.engine.models import OutboxRow
from workflow.engine.outbox import MAX_ATTEMPTS


def failed_effect(radaflow, database_url, council) -> tuple[int, object]:
    """A submitted draft whose notification effect failed every attempt."""
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    db = council(database_url)
    db.draft(db.author(), "Про сквер", submitted=True)
    with db.sessions.begin() as session:
        row_id = session.scalars(select(OutboxRow.id)).one()
        session.execute(
            update(OutboxRow).values(
                status="failed",
                attempts=MAX_ATTEMPTS,
                last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            )
        )
    return row_id, db


def statuses(db) -> list[tuple[str, int]]:
    with db.sessions() as session:
        return [(row.status, row.attempts) for row in session.scalars(select(OutboxRow).order_by(OutboxRow.id))]


def test_a_failed_effect_is_listed_with_its_error_and_retried_by_hand(radaflow, database_url, council):
    row_id, db = failed_effect(radaflow, database_url, council)

    listed = radaflow("effects", "list")
    assert listed.exit_code == 0, listed.output
    assert "outbox: 0 pending, 1 failed, 0 done" in listed.output
    assert f"{row_id:>6}  failed   notify" in listed.output
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in listed.output

    retried = radaflow("effects", "retry", str(row_id))

    assert retried.exit_code == 0, retried.output
    assert "1 effect(s) back in line" in retried.output
    # the embedded mode carries it out at once
    assert statuses(db) == [("done", 1)]
    assert "outbox: 0 pending, 0 failed, 1 done" in radaflow("effects", "list", "--status", "all").output


def test_retrying_an_effect_that_did_not_fail_is_refused_and_nothing_is_retried(radaflow, database_url, council):
    row_id, db = failed_effect(radaflow, database_url, council)

    refused = radaflow("effects", "retry", str(row_id), str(row_id + 1))

    assert refused.exit_code == 1
    assert f"there is no effect {row_id + 1} in the outbox; nothing was retried" in refused.output
    assert statuses(db) == [("failed", MAX_ATTEMPTS)], "the first, valid id was not retried either"


def test_a_mail_that_is_not_failed_is_not_retried(radaflow, database_url, council):
    failed_effect(radaflow, database_url, council)

    refused = radaflow("mail", "retry", "1")

    assert refused.exit_code == 1
    assert "nothing was retried" in refused.output
    assert "e-mail: 0 pending, 0 failed, 0 sent" in radaflow("mail", "list").output


def test_running_the_sweeps_on_a_database_not_yet_migrated_is_refused(radaflow, tmp_path):
    radaflow.use_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    result = radaflow("effects", "run")

    assert result.exit_code == 1
    assert "the database is not up to date: run `radaflow db upgrade` first" in result.output
