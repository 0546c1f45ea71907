"""Who is who in the council: the roles held council-wide (granted to a person, possibly for a committee or a
department), and the roles relative to the committee a document belongs to."""

from __future__ import annotations

from workflow.definitions.catalog import Catalog
from workflow.engine.models import Document
from workflow.engine.queries import field_in
from workflow.people import Actor

#: roles held council-wide, with what each does
COUNCIL_ROLES = {
    "admin": "manages users, roles, committees and definitions",
    "secretary": "the council secretary: prepares sessions, the agenda, votes and the protocol",
    "mayor": "the council head: signs adopted decisions or vetoes them",
    "deputy": "a deputy of the council",
    "staff": "department staff who write draft decisions",
    "reviewer": "a reviewer of a department (legal, finance) who gives visas",
    "committee_chair": "the chair of a standing committee",
    "committee_member": "a member of a standing committee",
    "committee_secretary": "the secretary of a standing committee",
    "citizen": "a registered member of the public",
    Actor.SYSTEM_ROLE: "the scheduler and the tasks, where the law makes a move automatic",
}


def _chairs_committee(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_chair", document.fields.get("committee_id"))


def _member_of_committee(document: Document, actor: Actor) -> bool:
    committee = document.fields.get("committee_id")
    return actor.holds_for("committee_member", committee) or actor.holds_for("committee_chair", committee)


def _committee_secretary(document: Document, actor: Actor) -> bool:
    return actor.holds_for("committee_secretary", document.fields.get("committee_id"))


def register(catalog: Catalog) -> None:
    for name, description in COUNCIL_ROLES.items():
        catalog.global_role(name, description)
    catalog.relative_role(
        "committee_chair_here",
        "the chair of the committee that wrote this conclusion",
        narrow=lambda actor: field_in("committee_id", actor.scopes.get("committee_chair", ())),
    )(_chairs_committee)
    catalog.relative_role(
        "committee_member_here",
        "a member of the committee that writes this conclusion",
        narrow=lambda actor: field_in(
            "committee_id", {*actor.scopes.get("committee_member", ()), *actor.scopes.get("committee_chair", ())}
        ),
    )(_member_of_committee)
    catalog.relative_role(
        "committee_secretary_here",
        "the secretary of the committee that writes this conclusion",
        narrow=lambda actor: field_in("committee_id", actor.scopes.get("committee_secretary", ())),
    )(_committee_secretary)
