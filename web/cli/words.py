"""The command line's words: catalog msgids said in RADAFLOW_LANG (English by default, which scripts and logs
read), and what the domain says (refusals, messages) in the same language."""

from __future__ import annotations

from typing import Any

from web.i18n import command_line_locale
from workflow import i18n
from workflow.errors import WorkflowError


def _locale() -> str:
    """The command line's language: RADAFLOW_LANG (uk or en), English by default, which scripts and logs read."""
    return command_line_locale()


def _(text: str, **params: Any) -> str:
    """`text` (a catalog msgid with {name} placeholders) in the command line's language, filled."""
    return i18n.gettext(text, _locale()).format(**params)


def say(error: WorkflowError) -> str:
    """A refusal in the command line's language."""
    return i18n.render(error.detail, _locale())


def render(said: object) -> str:
    """What the domain says (a Message, a moment, ...) in the command line's language."""
    return i18n.render(said, _locale())
