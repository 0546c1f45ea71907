"""A citizen's message: its answer is written before it is sent."""

from __future__ import annotations

from workflow.definitions.catalog import Catalog, GuardContext
from workflow.i18n import N_, message


def _has_answer(ctx: GuardContext) -> str | None:
    answer = ctx.document.fields.get("answer")
    if not (isinstance(answer, str) and answer.strip()):
        return message("guards.write_answer_first", N_("write the answer first"))
    return None


def register(catalog: Catalog) -> None:
    catalog.guard("has_answer", "the answer is written")(_has_answer)
