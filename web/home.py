"""The front page: what the council's system knows how to handle — its document kinds and their machines."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from web.extension import radaflow
from web.i18n import current
from workflow.definitions.graph import to_mermaid

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    registry = radaflow().registry
    return render_template("home.html", definitions=[registry.current(k) for k in registry.kinds()])


@bp.get("/definitions/<kind>")
def definition(kind: str) -> str:
    registry = radaflow().registry
    if kind not in registry.kinds():
        abort(404)
    compiled = registry.current(kind)
    return render_template("definition.html", d=compiled, mermaid=to_mermaid(compiled, lang=current()))
