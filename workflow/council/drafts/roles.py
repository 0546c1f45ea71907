"""The roles a draft's way gives relative to one document: a visa's department reviewer, the amended
draft's lead committee chair."""

from __future__ import annotations

from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.engine.queries import field_in
from workflow.people import Actor


def _reviews_for_department(document: Document, actor: Actor) -> bool:
    return actor.holds_for("reviewer", document.fields.get("department_id"))


def _chairs_lead_committee(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_chair", document.fields.get("lead_committee_id"))


def register(catalog: Catalog) -> None:
    catalog.relative_role(
        "department_reviewer",
        "a reviewer of the department the visa is asked from",
        narrow=lambda actor: field_in("department_id", actor.scopes.get("reviewer", ())),
    )(_reviews_for_department)
    catalog.relative_role(
        "lead_committee_chair",
        "the chair of the lead committee on the amended draft",
        narrow=lambda actor: field_in("lead_committee_id", actor.scopes.get("committee_chair", ())),
    )(_chairs_lead_committee)
