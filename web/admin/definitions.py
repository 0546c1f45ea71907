"""A definition's page: a document kind's states, transitions and diagram, linked from the front page."""

from __future__ import annotations

from flask import abort, render_template

from web.admin import bp
from web.extension import radaflow
from web.i18n import current
from workflow.definitions.graph import to_mermaid


@bp.get("/definitions/<kind>")
def definition(kind: str) -> str:
    registry = radaflow().registry
    if kind not in registry.kinds():
        abort(404)
    compiled = registry.current(kind)
    return render_template("admin/definition.html", d=compiled, mermaid=to_mermaid(compiled, lang=current()))
