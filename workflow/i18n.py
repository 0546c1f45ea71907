"""Words in the reader's language, without Flask: the project's one gettext catalog (`workflow/translations/`,
Ukrainian and English), messages the domain says as a code with parameters, and dates by Babel's locale data.

The domain marks what it says with `N_` (a no-op that `pybabel extract` finds) and never translates by itself;
the edges (the web, the tasks, the command line) render a `Message` in their reader's locale with `render`. A
message's English template is its msgid, so `str(message)` reads well in logs and tests without any catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.support import NullTranslations, Translations

from workflow.timeutil import as_utc

#: the council's time (workflow.council.law.KYIV, the same cached zone): said here so that the engine's words
#: need not import the council's package
KYIV = ZoneInfo("Europe/Kyiv")
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
#: the languages Radaflow speaks; the first is the council's and everyone's by default
LOCALES = ("uk", "en")
DEFAULT_LOCALE = "uk"
#: Babel's locale data for each language: English as written in Europe (2 March 2026, 24-hour time)
_BABEL_LOCALES = {"uk": "uk_UA", "en": "en_GB"}


def N_(text: str) -> str:
    """Marks a text for the catalog without translating it (it is translated where it is shown)."""
    return text


def locale_of(value: str | None) -> str:
    """One of LOCALES: `value` if Radaflow speaks it ('en', 'en_US', 'uk-UA'), else the default."""
    language = (value or "").replace("-", "_").split("_")[0].lower()
    return language if language in LOCALES else DEFAULT_LOCALE


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of `locale` (an empty one if it is missing, so the English msgids show)."""
    return Translations.load(str(TRANSLATIONS_DIR), [locale_of(locale)])


def gettext(text: str, locale: str) -> str:
    return translations(locale).ugettext(text)


def ngettext(singular: str, plural: str, number: int, locale: str) -> str:
    return translations(locale).ungettext(singular, plural, number)


class _Titled(Protocol):
    """A definition's title (or anything with both languages)."""

    uk: str
    en: str


@dataclass(frozen=True, slots=True)
class Plural:
    """A number with its noun, chosen by the language's plural rules: Plural(n, N_("{n} day"), N_("{n} days"))."""

    n: int
    singular: str
    plural: str


@dataclass(frozen=True, slots=True)
class Spoken:
    """A moment written at length, in Kyiv time: '17 March 2026, 11:00', '17 березня 2026 р., 11:00'."""

    moment: datetime


@dataclass(frozen=True, slots=True)
class Term:
    """An internal name (a role's code) with its title for people: a reader is shown the title in their language,
    while the English text that logs and tests compare keeps the name."""

    name: str
    title: _Titled | None = None


@dataclass(frozen=True, slots=True)
class Joined:
    """Several values written one after another, e.g. the reasons of a refusal."""

    items: tuple[Any, ...]
    separator: str = ", "


class Message(str):
    """Something the domain says: a stable `code`, its English `template` (the catalog's msgid, with {name}
    placeholders) and the parameters that fill it. As a `str` it is its English rendering (for logs, tests and
    whoever compares it with a text); `render` writes it in another language."""

    code: str
    template: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, template: str, params: Mapping[str, Any] | None = None) -> Message:
        given = dict(params or {})
        english = template.format(**{name: render(value, "en", translate=False) for name, value in given.items()})
        self = super().__new__(cls, english)
        self.code, self.template, self.params = code, template, given
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.code, self.template, self.params))


def message(code: str, template: str, **params: Any) -> Message:
    """A Message with its parameters given by name: message("x.y", N_("{n} left"), n=3)."""
    return Message(code, template, params)


def render(value: Any, locale: str, *, translate: bool = True) -> str:
    """`value` written for a reader of `locale`: a Message translated and filled, a moment in Kyiv time, a date
    in words, a definition's title in that language, a list joined; anything else as it is."""
    if isinstance(value, Message):
        template = gettext(value.template, locale) if translate else value.template
        params = {name: render(param, locale, translate=translate) for name, param in value.params.items()}
        return template.format(**params)
    if isinstance(value, Plural):
        words = (
            ngettext(value.singular, value.plural, value.n, locale)
            if translate
            else (value.singular if value.n == 1 else value.plural)
        )
        return words.format(n=value.n)
    if isinstance(value, Term):
        return value.name if not translate or value.title is None else title(value.title, locale)
    if isinstance(value, Joined):
        return value.separator.join(render(item, locale, translate=translate) for item in value.items)
    if isinstance(value, Spoken):
        return f"{day(value.moment, locale)}, {format_time(as_utc(value.moment), 'HH:mm', tzinfo=KYIV)}"
    if isinstance(value, datetime):
        return moment(value, locale)
    if isinstance(value, date):
        return day(value, locale)
    if hasattr(value, "uk") and hasattr(value, "en"):
        return title(value, locale)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(render(item, locale, translate=translate) for item in value)
    return "" if value is None else str(value)


def render_all(values: Iterable[Any], locale: str) -> list[str]:
    return [render(value, locale) for value in values]


def title(value: _Titled, locale: str) -> str:
    return value.en if locale_of(locale) == "en" else value.uk


def babel_locale(locale: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES[locale_of(locale)])


def moment(value: datetime, locale: str) -> str:
    """'18.03.2026 11:00': a moment in Kyiv time, numeric, as the council writes it in both languages (the same
    digits in each, so `locale` changes nothing: formatted without Babel, which a page listing every sitting of a
    convocation, as a deputy's does, calls two thousand times)."""
    return as_utc(value).astimezone(KYIV).strftime("%d.%m.%Y %H:%M")


def local_date(value: datetime) -> date:
    """The day a moment falls on in Kyiv."""
    return as_utc(value).astimezone(KYIV).date()


def day(value: date | datetime, locale: str, *, form: str = "long") -> str:
    """'2 March 2026', '2 березня 2026 р.': a day in words (a moment is taken in Kyiv)."""
    on = local_date(value) if isinstance(value, datetime) else value
    return format_date(on, form, locale=babel_locale(locale))
