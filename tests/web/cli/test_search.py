"""`radaflow search rebuild`: the operator makes the registry's search index anew, e.g. after the upgrade that
brings it, on either database."""

from __future__ import annotations

from sqlalchemy import delete, text

from tests.conftest import build_world
from tests.workflow.council.decisions.corpus import CORPUS, decided
from workflow.council.decisions.models import DecisionEntry, DecisionLink
from workflow.council.decisions.search import Query, search


def test_rebuild_lists_every_public_decision_again(radaflow, database_url, council):
    radaflow.use_database(database_url)
    assert radaflow("db", "upgrade").exit_code == 0
    db = council(database_url)
    with db.sessions.begin() as session:
        made = decided(build_world(session), {"land": CORPUS["land"], "meat": CORPUS["meat"]})
        land = made["land"].id
    with db.sessions.begin() as session:  # as after an upgrade that brought the index: the decisions, no entries
        session.execute(delete(DecisionLink))
        session.execute(delete(DecisionEntry))
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DELETE FROM decision_terms"))

    result = radaflow("search", "rebuild")

    assert result.exit_code == 0, result.output
    assert result.output == "The search index lists 2 decision(s).\n"
    with db.sessions() as session:
        assert [hit.document_id for hit in search(session, Query(text="земельних ділянок")).hits] == [land]
