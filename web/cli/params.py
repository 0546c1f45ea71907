"""The command line's own parameter types."""

from __future__ import annotations

import click

from web.i18n import command_line_locale
from web.ids import MAX_ID, is_id
from workflow import i18n
from workflow.i18n import N_


class IdParam(click.ParamType):  # type: ignore[type-arg]
    """An id on the command line: a clear `Error:` line (exit 2) for anything that cannot name a record."""

    name = "id"

    def __init__(self, what: str = N_("record")) -> None:
        self.what = what  # a noun marked with N_, said in the command line's language

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and is_id(value):
            return value
        text = str(value).strip()
        locale = command_line_locale()
        what = i18n.gettext(self.what, locale)
        if not (text.isascii() and text.isdigit()):
            self.fail(
                i18n.gettext("{value} is not a {what} id: ids are whole numbers from 1 to {max}", locale).format(
                    value=repr(value), what=what, max=MAX_ID
                ),
                param,
                ctx,
            )
        number = int(text)
        if not is_id(number):
            self.fail(
                i18n.gettext("there is no {what} {number}: ids run from 1 to {max}", locale).format(
                    what=what, number=text, max=MAX_ID
                ),
                param,
                ctx,
            )
        return number
