"""The names the shipped definitions use — the council's roles, guards, effects, consequences and records —
in one catalog, built here from each feature in turn; and what the tasks carry out for the council: what its
notices say per kind of document, and which paper is rendered for which kind."""

from __future__ import annotations

from sqlalchemy import false

from workflow.council import (
    committees,
    decisions,
    delegation,
    discussion,
    drafts,
    messages,
    organisation,
    sittings,
)
from workflow.council.committees.papers import committee_protocol_context
from workflow.council.drafts.papers import committee_conclusion_context, decision_context
from workflow.council.role_titles import ROLE_TITLES
from workflow.council.sittings.papers import agenda_context, extract_context, protocol_context
from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.notifications.notices import Notices, NotifyParams
from workflow.papers import Papers, RenderParams
from workflow.people import Actor


def _is_author(document: Document, actor: Actor) -> bool:
    return actor.id is not None and document.author_id == actor.id


def _build() -> tuple[Catalog, Notices, Papers]:
    catalog, notices, papers = Catalog(), Notices(), Papers()
    organisation.register(catalog, notices)
    # the role every kind of document shares
    catalog.relative_role(
        "author",
        "the person who wrote the document (the initiator of a draft)",
        narrow=lambda actor: Document.author_id == actor.id if actor.id is not None else false(),
    )(_is_author)
    # effects: recorded in the outbox by the engine, carried out by the tasks
    catalog.effect("notify", "tell people what happened and what is expected of them", NotifyParams)
    catalog.effect("render_docx", "render a Word document from a template and attach it", RenderParams)
    for feature in (drafts, sittings, committees, messages, delegation, decisions, discussion):
        feature.register(catalog, notices)
    catalog.title_roles(ROLE_TITLES)
    # the order a person is offered them in
    papers.add("decision", "decision_draft", decision_context)
    papers.add("agenda", "session", agenda_context)
    papers.add("protocol", "session_protocol", protocol_context)
    papers.add("committee_conclusion", "committee_conclusion", committee_conclusion_context)
    papers.add("protocol_extract", "agenda_item", extract_context)
    papers.add("committee_protocol", "committee_meeting", committee_protocol_context)
    return catalog, notices, papers


CATALOG, NOTICES, PAPERS = _build()
