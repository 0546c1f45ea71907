"""Every table of Radaflow, imported in one place so that migrations and tests see the whole schema."""

from __future__ import annotations


def import_all() -> None:
    import workflow.council.accounts.models
    import workflow.council.administration.models
    import workflow.council.committees.models
    import workflow.council.decisions.models
    import workflow.council.discussion.models
    import workflow.council.drafts.models
    import workflow.council.organisation.models
    import workflow.council.sittings.console_models
    import workflow.council.sittings.models
    import workflow.definitions.models
    import workflow.engine.models
    import workflow.files
    import workflow.notifications.models
    import workflow.people  # noqa: F401
