"""The front page: what the council's system knows how to handle — its document kinds and their machines."""

from __future__ import annotations

from flask import render_template

from web.extension import radaflow
from web.public import bp


@bp.get("/")
def index() -> str:
    registry = radaflow().registry
    return render_template("public/home.html", definitions=[registry.current(k) for k in registry.kinds()])
