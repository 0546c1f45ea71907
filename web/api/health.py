"""`GET /api/health`: whether this process can serve — the database is reachable, its schema is at the migrations'
head, and the definitions the process loaded are stored in it (`radaflow db upgrade` did its work). 200 when all
three hold, 503 otherwise, with what failed; what a load balancer or a monitor polls.

A GET that changes nothing and carries no form: no CSRF token is asked, no rate limit counts it (the limits are on
the forms anyone may post), no cookie is set, and the answer is never cached. It names no host, user or driver
message: why the database could not be reached goes to the log."""

from __future__ import annotations

from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from flask import current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from web.api import bp
from web.database import db
from web.extension import radaflow
from workflow import schema
from workflow.definitions.models import DefinitionVersion

UNREACHABLE = "not checked: the database is not reachable"
NOT_AT_HEAD = "not checked: the schema is not at head"


@bp.get("/health")
def health() -> ResponseReturnValue:
    head = _head_revision()
    answer: dict[str, Any] = {
        "database": {"reachable": False},
        "schema": {"at_head": False, "revision": None, "head": head, "reason": UNREACHABLE},
        "definitions": {"stored": False, "reason": UNREACHABLE},
    }
    try:
        session = db()
        revision = MigrationContext.configure(session.connection()).get_current_revision()
        answer["database"] = {"reachable": True}
        answer["schema"] = {"at_head": revision == head, "revision": revision, "head": head}
        if revision == head:
            answer["definitions"] = _definitions_stored()
        else:
            answer["definitions"] = {"stored": False, "reason": NOT_AT_HEAD}
    except SQLAlchemyError as error:
        current_app.logger.warning("health: the database is not reachable: %s", error)
    healthy = answer["database"]["reachable"] and answer["schema"]["at_head"] and answer["definitions"]["stored"]
    answer = {"status": "ok" if healthy else "unavailable", **answer}
    return answer, 200 if healthy else 503, {"Cache-Control": "no-store"}


def _definitions_stored() -> dict[str, Any]:
    """Every current definition stored, with the text this process loaded (else `db upgrade` has not run, or it
    refused a definition changed without a new version number)."""
    registry = radaflow().registry
    current = [registry.current(kind) for kind in registry.kinds()]
    loaded = {(compiled.kind, compiled.version): compiled.sha256 for compiled in current}
    stored = {
        (kind, version): sha256
        for kind, version, sha256 in db().execute(
            select(DefinitionVersion.kind, DefinitionVersion.version, DefinitionVersion.sha256).where(
                DefinitionVersion.kind.in_(registry.kinds())
            )
        )
    }
    missing = [f"{kind} v{version}" for (kind, version) in sorted(loaded) if (kind, version) not in stored]
    changed = [
        f"{kind} v{version}"
        for (kind, version), sha256 in sorted(loaded.items())
        if stored.get((kind, version), sha256) != sha256
    ]
    return {"stored": not missing and not changed, "missing": missing, "changed": changed}


@cache
def _head_revision() -> str | None:
    """The migrations' head, read once per process from the scripts shipped with the code (whichever database)."""
    return schema.head_revision(radaflow().engine)
