"""The council's document kinds (`/definitions`: each kind with its machine's size) and a definition's page: a
kind's states, transitions and diagram."""

from __future__ import annotations

from flask import abort, render_template

from web.admin import bp
from web.diagram import state_diagram
from web.extension import radaflow
from web.i18n import current
from workflow.definitions.graph import to_mermaid


@bp.get("/definitions")
def definitions() -> str:
    registry = radaflow().registry
    return render_template("admin/definitions.html", definitions=[registry.current(k) for k in registry.kinds()])


@bp.get("/definitions/<kind>")
def definition(kind: str) -> str:
    registry = radaflow().registry
    if kind not in registry.kinds():
        abort(404)
    compiled = registry.current(kind)
    lang = current()
    return render_template(
        "admin/definition.html",
        d=compiled,
        diagram=state_diagram(compiled, lang),
        mermaid=to_mermaid(compiled, lang=lang),
    )
