"""A delegation ends when its period is over."""

from __future__ import annotations

from workflow.council.sittings.guards import day
from workflow.definitions.catalog import Catalog, GuardContext
from workflow.definitions.schema import moment_of
from workflow.i18n import N_, message
from workflow.timeutil import as_utc


def _delegation_over(ctx: GuardContext) -> str | None:
    ends = moment_of(ctx.document.fields.get("ends_at"))
    if ends is None:
        return message("guards.delegation_no_end", N_("the delegation has no end"))
    if as_utc(ctx.now) < ends:
        return message(
            "guards.delegation_effect_until_ends",
            N_("the delegation is in effect until {ends}"),
            ends=day(ends),
        )
    return None


def register(catalog: Catalog) -> None:
    catalog.guard("delegation_period_over", "the period of the delegation has ended")(_delegation_over)
