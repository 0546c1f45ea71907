"""Every effect a definition may name, with the code that carries it out: the council's own (numbering,
moving a parent) and the ones that reach outside (notifications, Word documents)."""

from __future__ import annotations

from tasks.docx import render_docx_handler
from tasks.notify import notify_handler
from workflow.config import Settings
from workflow.council.effects import HANDLERS as COUNCIL_HANDLERS
from workflow.engine.outbox import Handler


def handlers(settings: Settings) -> dict[str, Handler]:
    return {
        **COUNCIL_HANDLERS,
        "notify": notify_handler(settings),
        "render_docx": render_docx_handler(settings),
    }
