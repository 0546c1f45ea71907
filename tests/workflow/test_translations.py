"""The project's one catalog (workflow/translations): every word the code and the templates say has its Ukrainian
and its English, none is left fuzzy or stale, the compiled .mo files are those of the .po files, and every refusal
the code raises says a code and a catalogued template rather than a sentence in one language."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from workflow import i18n
from workflow.config import PROJECT_ROOT

CATALOGS = i18n.TRANSLATIONS_DIR
#: the keywords `make translations` extracts with (the Makefile's pybabel call)
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "N_": None,
    "counted": (2, 3),
}
ERRORS = {"WorkflowError", "NotFound", "WrongState", "NotAllowed", "GuardFailed", "InvalidInput", "Conflict", "Busy"}


def catalog(locale: str):
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)s|(?<!\{)\{\w*\}(?!\})", text))


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def extracted() -> set[object]:
    """Every msgid the code and the templates hold, as `make translations` extracts them."""
    with (PROJECT_ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: set[object] = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_message_has_a_translation_in_each_language_and_none_is_fuzzy(locale):
    messages = [m for m in catalog(locale) if m.id]
    assert messages
    untranslated = [m.id for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_a_translation_keeps_every_placeholder_of_its_message(locale):
    wrong = []
    for m in catalog(locale):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set().union(*(placeholders(text) for text in ids))
        wrong += [(m.id, s) for s in strings if placeholders(s) - wanted or not placeholders(s) <= wanted]
        if not isinstance(m.id, tuple) and placeholders(strings[0]) != wanted:
            wrong.append((m.id, strings[0]))
    assert wrong == []


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_word_in_the_code_is_in_the_catalog_and_the_catalog_holds_nothing_else(locale):
    in_catalog = {m.id for m in catalog(locale) if m.id}
    in_code = extracted()

    assert sorted(map(str, in_code - in_catalog)) == [], "run `make translations` and translate what is new"
    assert sorted(map(str, in_catalog - in_code)) == [], "run `make translations`: these are said nowhere now"


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_the_compiled_catalog_is_the_one_of_its_po_file(locale):
    with (CATALOGS / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(mo) if m.id}
    fresh = io.BytesIO()
    write_mo(fresh, catalog(locale))
    fresh.seek(0)
    expected = {_key(m.id): _key(m.string) for m in read_mo(fresh) if m.id}
    assert compiled == expected, "run `make translations` (it compiles the .mo files)"


def test_every_refusal_raised_names_a_code_and_a_catalogued_template():
    """`raise NotFound("there is no ...")` would reach a Ukrainian reader in English: a refusal says a code and
    an N_-marked template (or passes a Message made so)."""
    bare = []
    for package in ("workflow", "web", "tasks", "demo"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                    continue
                call = node.exc
                if not (isinstance(call.func, ast.Name) and call.func.id in ERRORS):
                    continue
                args = call.args
                coded = (
                    (
                        len(args) >= 2
                        and isinstance(args[0], ast.Constant)
                        and (
                            (isinstance(args[1], ast.Call) and getattr(args[1].func, "id", None) == "N_")
                            # a template that is one placeholder: its parameter is a catalogued message
                            or (isinstance(args[1], ast.Constant) and re.fullmatch(r"\{\w+\}", str(args[1].value)))
                        )
                    )
                    or (len(args) == 1 and not isinstance(args[0], ast.Constant | ast.JoinedStr | ast.BinOp))
                    or (len(args) == 1 and isinstance(args[0], ast.Starred))
                )
                if not coded:
                    bare.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert bare == []


def test_a_message_reads_in_english_by_default_and_in_ukrainian_when_asked():
    said = i18n.message("x.visas", i18n.N_("{value} of {open_visas} visas are still awaited"), value=1, open_visas=2)

    assert said == "1 of 2 visas are still awaited"
    assert i18n.render(said, "en") == "1 of 2 visas are still awaited"
    assert i18n.render(said, "uk") == "ще очікуються візи: 1 з 2"


def test_plurals_follow_each_language_s_rules():
    def days(n: int, locale: str) -> str:
        return i18n.render(i18n.Plural(n, "{n} working day", "{n} working days"), locale)

    assert [days(n, "en") for n in (1, 2, 5)] == ["1 working day", "2 working days", "5 working days"]
    assert [days(n, "uk") for n in (1, 2, 5, 11, 21)] == [
        "1 робочий день",
        "2 робочі дні",
        "5 робочих днів",
        "11 робочих днів",
        "21 робочий день",
    ]


def test_an_unknown_language_is_read_as_the_council_s():
    assert [i18n.locale_of(v) for v in ("en", "en_US", "uk-UA", "de", "", None)] == ["en", "en", "uk", "uk", "uk", "uk"]


def test_no_hand_written_month_names_or_strftime_months_are_left():
    months = re.compile(r"%B|\"березня\"|\bMONTHS\b")
    found = [
        str(path.relative_to(PROJECT_ROOT))
        for package in ("workflow", "web", "tasks")
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if months.search(path.read_text()) and "demo" not in path.name
    ]
    assert found == []


def test_the_catalogs_are_where_the_package_ships_them():
    assert Path(CATALOGS, "uk", "LC_MESSAGES", "messages.mo").is_file()
