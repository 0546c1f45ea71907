"""The record's seals: the sealed heads of the audit log's hash chains (workflow.engine.seals, one signed file a
day under the instance's seals/ folder), each with its digest, key and whether its signature holds; the files to
download and keep; and, for a public document, its sealed head checked against its history as it stands."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from web.database import db
from web.extension import radaflow
from web.i18n import say
from web.public import bp
from workflow.config import ConfigError
from workflow.council.access import may_read
from workflow.engine import seals
from workflow.engine.models import Document

#: seals listed on the page (the newest); every file stays downloadable by its name
LISTED = 30


@bp.get("/seals")
def seals_page() -> ResponseReturnValue:
    settings = radaflow().settings
    try:
        expected = seals.verifying_key(settings.seal_key, settings.seal_public_key, settings.seal_key_file)
    except (ConfigError, seals.SealError, ValueError):
        expected = None
    listed: list[dict[str, Any]] = []
    latest: seals.Seal | None = None
    for path in reversed(seals.seal_files(settings.seals_dir)[-LISTED:]):
        try:
            seal = seals.read_seal(path)
        except seals.SealUnreadable:
            listed.append({"name": path.name, "seal": None, "problem": None})
            continue
        problem = seals.check_signature(seal, expected)
        latest = latest or (seal if problem is None else None)
        listed.append({"name": path.name, "seal": seal, "problem": None if problem is None else say(problem)})
    return render_template(
        "public/seals.html", seals=listed, expected_key=expected, checked=_checked(latest), asked=_asked()
    )


@bp.get("/seals/<name>")
def seal_file(name: str) -> ResponseReturnValue:
    if not seals.SEAL_FILE.match(name):
        abort(404)
    path = radaflow().settings.seals_dir / name
    if not path.is_file():
        abort(404)
    response = Response(path.read_bytes(), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _asked() -> int | None:
    value = request.args.get("document", "").strip()
    if not (value.isascii() and value.isdigit() and len(value) < 11):
        return None
    number = int(value)
    return number if 1 <= number <= 2**31 - 1 else None


def _checked(latest: seals.Seal | None) -> dict[str, Any] | None:
    """The asked document's sealed head in the latest valid seal, checked against its history now; only for a
    document anyone may read (any other is as if it did not exist)."""
    document_id = _asked()
    if document_id is None:
        return None
    document = db().get(Document, document_id)
    if document is None or not may_read(db(), document, None):
        return {"found": False, "id": document_id}
    head = None if latest is None else next((h for h in latest.heads if h.document_id == document_id), None)
    if head is None or latest is None:
        return {"found": True, "id": document_id, "head": None, "title": document.title}
    broken = seals.check_against_seal(db(), dataclasses.replace(latest, heads=(head,)))
    return {
        "found": True,
        "id": document_id,
        "title": document.title,
        "head": head,
        "seal": latest,
        "holds": not broken,
        "problem": say(broken[0].said) if broken else None,
    }
