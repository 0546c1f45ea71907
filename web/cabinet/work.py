"""My work: the documents waiting for an action of the signed-in person."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

from web.auth.views import signed_in
from web.cabinet import bp
from web.cabinet.actions import assumed_guards
from web.cabinet.presenting import local, title_of
from web.database import db
from web.extension import radaflow
from web.i18n import say
from workflow.council.work import waiting_for
from workflow.engine.models import Document
from workflow.timeutil import utcnow


@dataclass(frozen=True)
class Task:
    """A document waiting for the person, as the list shows it."""

    document: Document
    kind_title: str
    state_title: str
    due: str | None
    overdue: bool
    actions: tuple[str, ...]


@bp.get("/cabinet")
@login_required  # type: ignore[untyped-decorator]
def work() -> ResponseReturnValue:
    """The documents waiting for an action of the signed-in person, overdue ones first."""
    user = signed_in()
    assert user is not None
    registry = radaflow().registry
    tasks = []
    for waiting in waiting_for(db(), user.actor(), utcnow(), assuming=assumed_guards):
        compiled = registry.get(waiting.document.kind, waiting.document.definition_version, db())
        tasks.append(
            Task(
                document=waiting.document,
                kind_title=say(compiled.definition.title),
                state_title=say(compiled.state(waiting.document.state).title),
                due=local(waiting.document.due_at) if waiting.document.due_at is not None else None,
                overdue=waiting.overdue,
                actions=tuple(title_of(action) for action in waiting.actions),
            )
        )
    actor = user.actor()
    may_write = bool(actor.roles & set(registry.current("decision_draft").definition.create))
    return render_template("cabinet/work.html", tasks=tasks, may_write=may_write, reviews=actor.holds("reviewer"))
