"""The text of notifications and e-mails: Jinja templates in `tasks/templates/mail/<name>.<locale>.txt`, one per
template name the definitions use (plus the deadline sweep's and the digest), in Ukrainian and English.

A template's first line is `Subject: ...`; the rest is the plain-text body. Undefined names are errors
(StrictUndefined): a template that asks for something the context lacks fails loudly, in tests first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from workflow import i18n

TEMPLATES = Path(__file__).resolve().parent / "templates" / "mail"
LOCALES = i18n.LOCALES
#: the language of a person whose locale has no templates
FALLBACK_LOCALE = i18n.DEFAULT_LOCALE
#: templates the code itself uses, besides those the definitions name
BUILTIN_TEMPLATES = ("deadline_reminder", "deadline_overdue", "digest")


class MissingTemplate(LookupError):
    """No message template of that name exists (in any language)."""


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    body: str


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,  # plain text, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["moment"] = _moment
    return env


def template_names() -> list[str]:
    """The names of the templates shipped (those with a file in every language)."""
    by_locale = [
        {p.name.removesuffix(f".{locale}.txt") for p in TEMPLATES.glob(f"[!_]*.{locale}.txt")} for locale in LOCALES
    ]
    return sorted(set.intersection(*by_locale))


def render(name: str, locale: str, context: Mapping[str, Any]) -> Message:
    """The message `name` in `locale` (Ukrainian when there is none in it), rendered with `context`."""
    if locale not in LOCALES:
        locale = FALLBACK_LOCALE
    try:
        template = environment().get_template(f"{name}.{locale}.txt")
    except TemplateNotFound:
        raise MissingTemplate(f"there is no message template {name!r} in {locale!r}") from None
    text = template.render(**context)
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"the template {name}.{locale}.txt does not start with a 'Subject:' line")
    subject = " ".join(first.removeprefix("Subject:").split())
    body = re.sub(r"\n{3,}", "\n\n", rest).strip("\n") + "\n"
    return Message(subject=subject, body=body)


def local_moment(moment: datetime, locale: str = FALLBACK_LOCALE) -> str:
    """'18.03.2026 11:00': a moment in Kyiv time, by Babel, as the messages write it in both languages."""
    return i18n.moment(moment, locale)


def _moment(value: object) -> str:
    """The `moment` filter: a datetime, or one stored in a document's fields as ISO text, written as
    `local_moment` writes it; anything else as it is."""
    if isinstance(value, str):
        try:
            return local_moment(datetime.fromisoformat(value))
        except (ValueError, OverflowError):
            return value
    if isinstance(value, datetime):
        return local_moment(value)
    return "" if value is None else str(value)
