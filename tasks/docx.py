"""The council's Word documents: a template of templates_docx/ filled with what the council's papers read from
the database (`workflow.council.catalog.PAPERS`), rendered with docxtpl, and attached to its document with its
SHA-256 (`store_file`).

The `render_docx` effect names the template; which kind of document each attaches to is the domain's. A
rendering that runs twice (a retry, a redelivery) stores one file: the outbox row's idempotency key is the
file's key. A rendering asked by hand is a new version with a `manual:` key; nothing is ever overwritten.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from sqlalchemy.orm import Session

from workflow.config import PROJECT_ROOT, Settings
from workflow.council.catalog import PAPERS
from workflow.engine.models import Document, OutboxRow
from workflow.engine.outbox import Handler
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.files import DocumentFile, file_by_key, store_file
from workflow.i18n import N_
from workflow.papers import Paper
from workflow.people import Actor

#: the shipped templates; a secretary's edited copy under <instance>/templates_docx/ wins over them
TEMPLATES_DIR = PROJECT_ROOT / "templates_docx"

#: who may ask for a rendering by hand
RERENDER_ROLES = ("secretary", "admin", Actor.SYSTEM_ROLE)


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(
            "docx.there_no_document_document",
            N_("there is no document {document_id}"),
            document_id=document_id,
        )
    return document


def template_for(name: str, document: Document | None = None) -> Paper:
    """The template called `name`, checked to attach to `document`; refused in words otherwise."""
    template = PAPERS.get(name)
    if template is None:
        raise InvalidInput(
            "docx.unknown_template_name_one",
            N_("unknown template '{name}': one of {value}"),
            name=name,
            value=", ".join(PAPERS),
        )
    if document is not None and document.kind != template.kind:
        raise InvalidInput(
            "docx.name_template_rendered_kind",
            N_("the {name} template is rendered for a {kind} document; document {id} is a {kind2}"),
            name=name,
            kind=template.kind,
            id=document.id,
            kind2=document.kind,
        )
    return template


def template_path(name: str, templates_dir: Path | None = None) -> Path:
    """The .docx of template `name`: the operator's copy in `templates_dir` if there is one, else the shipped one."""
    template_for(name)
    for directory in (templates_dir, TEMPLATES_DIR):
        if directory is not None and (directory / f"{name}.docx").is_file():
            return directory / f"{name}.docx"
    raise NotFound(
        "docx.template_file_name_docx",
        N_("the template file {name}.docx is missing from {folder}"),
        name=name,
        folder=TEMPLATES_DIR,
    )


def render(template_name: str, context: Mapping[str, Any], *, templates_dir: Path | None = None) -> bytes:
    """The template filled with `context`, as the bytes of a .docx file (text is escaped for XML)."""
    template = DocxTemplate(str(template_path(template_name, templates_dir)))
    template.render(dict(context), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_document(
    session: Session,
    document: Document,
    template_name: str,
    *,
    key: str,
    now: datetime,
    by: Actor | None = None,
    templates_dir: Path | None = None,
) -> DocumentFile:
    """Render `template_name` for `document` and attach it under `key`; the file already stored under `key`
    if there is one (then nothing is rendered). Flushes, never commits."""
    template = template_for(template_name, document)
    existing = file_by_key(session, key)
    if existing is not None:
        if (existing.document_id, existing.name) != (document.id, template.name):
            raise InvalidInput(
                "docx.key_key_already_stored",
                N_("key '{key}' already stored {name} of document {document_id}"),
                key=key,
                name=existing.name,
                document_id=existing.document_id,
            )
        return existing
    content = render(template.name, template.context(session, document), templates_dir=templates_dir)
    return store_file(session, document, template.name, content, key=key, now=now, by=by)


def operator_templates(settings: Settings) -> Path:
    """Where an operator's edited templates live: instance/templates_docx/."""
    return settings.instance_dir / "templates_docx"


def render_docx_handler(settings: Settings) -> Handler:
    """The outbox handler of `render_docx: {template: ...}`: one file per effect, however often it runs."""
    templates_dir = operator_templates(settings)

    def handle(session: Session, row: OutboxRow, now: datetime) -> None:
        if file_by_key(session, row.idempotency_key) is not None:
            return
        template = str(row.params.get("template", ""))
        document = get_document(session, row.document_id)
        render_document(session, document, template, key=row.idempotency_key, now=now, templates_dir=templates_dir)

    return handle


def rerender(
    session: Session,
    document: Document,
    name: str,
    actor: Actor,
    now: datetime,
    *,
    templates_dir: Path | None = None,
) -> DocumentFile:
    """Render a document's file again by hand (after a template was edited, say): a new version, the old ones
    kept as they were."""
    if not any(actor.holds(role) for role in RERENDER_ROLES):
        raise NotAllowed(
            "docx.documents_rendered_again_secretary",
            N_("documents are rendered again by the secretary or an administrator"),
        )
    key = f"manual:{document.id}:{name}:{uuid.uuid4().hex}"
    return render_document(session, document, name, key=key, now=now, by=actor, templates_dir=templates_dir)


def render_extract(
    session: Session, item: Document, actor: Actor, now: datetime, *, templates_dir: Path | None = None
) -> DocumentFile:
    """An extract from the protocol for one agenda item, attached to that item (a new version each time)."""
    return rerender(session, item, "protocol_extract", actor, now, templates_dir=templates_dir)
