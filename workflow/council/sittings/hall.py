"""Result files of the hall's electronic voting system, read into questions with their roll calls.

Three formats are read:

- **Radaflow's CSV** (UTF-8, a BOM allowed; comma or semicolon): a header `name,vote` and a row per member, for
  one question; optional columns `question` (the question's number, for a file of several) and `title`.
- **JSON**, as councils publish it: a list of questions (or `{"questions": [...]}`), each an object with `title`,
  `time`, `result` and `votes`, a list of `{"name": ..., "vote": ...}`; optional `totals`
  (`{"for": 15, "against": 2, "abstain": 1, "not_voted": 0, "absent": 9}`) are checked against the roll call.
- **XML**, the hall systems' export (usually in Windows-1251, as its declaration says): `Vopros` elements, each
  with `Nazva` (title), `Chas` (time) and `Rezultat` (result) as attributes or child elements, optional totals
  `Za`, `Proty`, `Utrym`, `NeGolos`, `Vidsut`, and `Poimen/Deputat` elements with `Name` and `Golos` (attributes
  or child elements). Read with defusedxml: no entities, no external references.

A vote is written in Ukrainian or English: за / проти / утримався / не голосував / відсутній, for / against /
abstain / not voted / absent. Anything malformed is refused with what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from workflow.errors import InvalidInput
from workflow.i18n import N_, Message, message

FORMATS = ("csv", "json", "xml")
#: the largest file read (a hall's export of a whole day is a few hundred kilobytes)
MAX_BYTES = 5 * 1024 * 1024

_WORDS = {
    "for": ("за", "for", "yes", "так"),
    "against": ("проти", "against", "no", "ні"),
    "abstain": ("утримався", "утрималася", "утрималась", "утримались", "утрималися", "abstain", "abstained"),
    "not_voted": (
        "не голосував",
        "не голосувала",
        "не голосували",
        "не голосував(ла)",
        "не голосував (ла)",
        "не голосувало",
        "did not vote",
        "not voted",
        "not_voted",
    ),
    "absent": ("відсутній", "відсутня", "відсутні", "відсутній(я)", "absent", "відс."),
}
VOTE_WORDS = {word: choice for choice, words in _WORDS.items() for word in words}
_XML_TOTALS = {"Za": "for", "Proty": "against", "Utrym": "abstain", "NeGolos": "not_voted", "Vidsut": "absent"}


@dataclass(frozen=True, slots=True)
class HallVote:
    """One member's vote as the file gives it: the name as the hall system spells it, and our choice."""

    name: str
    choice: str
    #: where in the file (a CSV line, a JSON entry's position, an XML deputy's position)
    place: Message | str


@dataclass(frozen=True, slots=True)
class HallQuestion:
    number: int
    title: str
    time: str | None
    result: str | None
    votes: tuple[HallVote, ...]
    #: the totals the file states, by choice (checked against the roll call)
    totals: Mapping[str, int] = field(default_factory=dict)


def detect_format(filename: str, content: bytes) -> str:
    """The file's format by its extension, else by its first characters."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in FORMATS:
        return suffix
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "xml" if start == b"<" else "json" if start in (b"[", b"{") else "csv"


def read_file(filename: str, content: bytes) -> tuple[str, list[HallQuestion]]:
    """The file's format and its questions, or a refusal that says what is wrong with it."""
    if not content.strip():
        raise InvalidInput("hall.empty_file", N_("the file is empty"))
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            "hall.file_too_large",
            N_("the file has {size} bytes; at most {limit} are read"),
            size=len(content),
            limit=MAX_BYTES,
        )
    kind = detect_format(filename, content)
    questions = {"csv": _read_csv, "json": _read_json, "xml": _read_xml}[kind](content)
    if not questions:
        raise InvalidInput("hall.no_questions", N_("the file holds no question with votes"))
    for question in questions:
        check_totals(question)
    return kind, questions


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "hall.not_utf8",
            N_("the file is not UTF-8 text (byte {position} cannot be read): save it as UTF-8 and try again"),
            position=error.start + 1,
        ) from None


def _malformed(what: Message | str) -> InvalidInput:
    return InvalidInput("hall.malformed", N_("the file cannot be read: {what}"), what=what)


def choice_of(word: str, place: Message | str) -> str:
    choice = VOTE_WORDS.get(" ".join(word.split()).casefold())
    if choice is None:
        raise _malformed(
            message(
                "hall.unknown_vote",
                N_("{place}: «{word}» is not a vote (за, проти, утримався, не голосував, відсутній)"),
                place=place,
                word=word,
            )
        )
    return choice


# --- CSV --------------------------------------------------------------------------------------------------------
def _read_csv(content: bytes) -> list[HallQuestion]:
    text = _text(content)
    first = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().casefold() for cell in rows[0]]
    if "name" not in header or "vote" not in header:
        raise _malformed(
            message(
                "hall.csv_header",
                N_("the first line must name the columns: name,vote (found: {found})"),
                found=delimiter.join(rows[0]),
            )
        )
    at = {name: header.index(name) for name in ("name", "vote", "question", "title") if name in header}
    grouped: dict[int, list[HallVote]] = {}
    titles: dict[int, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise _malformed(
                message(
                    "hall.csv_short_row",
                    N_("line {line} has {found} columns, the header {needed}"),
                    line=line,
                    found=len(row),
                    needed=len(header),
                )
            )
        place = message("hall.at_line", N_("line {line}"), line=line)
        number = 1
        if "question" in at:
            raw = row[at["question"]].strip()
            if not raw.isdigit():
                raise _malformed(
                    message(
                        "hall.csv_question",
                        N_("line {line}: the question's number «{value}» is not a number"),
                        line=line,
                        value=raw,
                    )
                )
            number = int(raw)
        if "title" in at and row[at["title"]].strip():
            titles.setdefault(number, row[at["title"]].strip())
        name = row[at["name"]].strip()
        if not name:
            raise _malformed(message("hall.csv_no_name", N_("line {line} has no name"), line=line))
        grouped.setdefault(number, []).append(HallVote(name, choice_of(row[at["vote"]], place), place))
    return [
        HallQuestion(number=n, title=titles.get(n, ""), time=None, result=None, votes=tuple(votes))
        for n, votes in sorted(grouped.items())
    ]


# --- JSON -------------------------------------------------------------------------------------------------------
def _read_json(content: bytes) -> list[HallQuestion]:
    try:
        data = json.loads(_text(content))
    except json.JSONDecodeError as error:
        raise _malformed(
            message(
                "hall.json_syntax",
                N_("it is not valid JSON (line {line}, column {column}: {problem})"),
                line=error.lineno,
                column=error.colno,
                problem=error.msg,
            )
        ) from None
    if isinstance(data, dict) and isinstance(data.get("questions"), list):
        data = data["questions"]
    if not isinstance(data, list):
        raise _malformed(message("hall.json_not_list", N_("it must be a list of questions")))
    return [_json_question(number, entry) for number, entry in enumerate(data, start=1)]


def _json_question(number: int, entry: object) -> HallQuestion:
    if not isinstance(entry, dict):
        raise _malformed(message("hall.json_question", N_("question {number} is not an object"), number=number))
    votes = entry.get("votes")
    if not isinstance(votes, list):
        raise _malformed(
            message("hall.json_no_votes", N_("question {number} has no list of votes ('votes')"), number=number)
        )
    read: list[HallVote] = []
    for position, vote in enumerate(votes, start=1):
        place = message("hall.at_vote", N_("question {number}, vote {position}"), number=number, position=position)
        if not (isinstance(vote, dict) and isinstance(vote.get("name"), str) and isinstance(vote.get("vote"), str)):
            raise _malformed(
                message("hall.json_vote", N_("{place} must be an object with a 'name' and a 'vote'"), place=place)
            )
        if not vote["name"].strip():
            raise _malformed(message("hall.json_no_name", N_("{place} has no name"), place=place))
        read.append(HallVote(vote["name"].strip(), choice_of(vote["vote"], place), place))
    totals = entry.get("totals") or {}
    if not isinstance(totals, dict) or not all(
        key in _WORDS and isinstance(value, int) and not isinstance(value, bool) for key, value in totals.items()
    ):
        raise _malformed(
            message(
                "hall.json_totals",
                N_("question {number}: 'totals' must give numbers for, against, abstain, not_voted, absent"),
                number=number,
            )
        )
    return HallQuestion(
        number=number,
        title=str(entry.get("title") or ""),
        time=None if entry.get("time") is None else str(entry["time"]),
        result=None if entry.get("result") is None else str(entry["result"]),
        votes=tuple(read),
        totals=dict(totals),
    )


# --- XML --------------------------------------------------------------------------------------------------------
def _read_xml(content: bytes) -> list[HallQuestion]:
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise _malformed(
            message("hall.xml_forbidden", N_("it declares entities or external references, which are not read"))
        ) from None
    except ParseError as error:
        line, column = error.position
        raise _malformed(
            message(
                "hall.xml_syntax",
                N_(
                    "it is not well-formed XML (line {line}, column {column}); check that its encoding is the one "
                    "its first line declares"
                ),
                line=line,
                column=column + 1,
            )
        ) from None
    questions = [root] if root.tag == "Vopros" else list(root.iter("Vopros"))
    return [_xml_question(number, element) for number, element in enumerate(questions, start=1)]


def _value(element: Element, name: str) -> str | None:
    if name in element.attrib:
        return element.attrib[name].strip()
    child = element.find(name)
    return None if child is None else (child.text or "").strip()


def _xml_question(number: int, element: Element) -> HallQuestion:
    read: list[HallVote] = []
    for position, deputy in enumerate(element.iterfind("Poimen/Deputat"), start=1):
        place = message("hall.at_deputy", N_("question {number}, deputy {position}"), number=number, position=position)
        name, vote = _value(deputy, "Name"), _value(deputy, "Golos")
        if not name:
            raise _malformed(message("hall.xml_no_name", N_("{place} has no Name"), place=place))
        if vote is None:
            raise _malformed(message("hall.xml_no_vote", N_("{place} has no Golos"), place=place))
        read.append(HallVote(name, choice_of(vote, place), place))
    if not read:
        raise _malformed(
            message("hall.xml_no_deputies", N_("question {number} has no Poimen/Deputat votes"), number=number)
        )
    totals: dict[str, int] = {}
    for attribute, choice in _XML_TOTALS.items():
        raw = _value(element, attribute)
        if raw is None or raw == "":
            continue
        if not raw.isdigit():
            raise _malformed(
                message(
                    "hall.xml_total",
                    N_("question {number}: {name}=«{value}» is not a number"),
                    number=number,
                    name=attribute,
                    value=raw,
                )
            )
        totals[choice] = int(raw)
    return HallQuestion(
        number=number,
        title=_value(element, "Nazva") or "",
        time=_value(element, "Chas"),
        result=_value(element, "Rezultat"),
        votes=tuple(read),
        totals=totals,
    )


# --- checks -----------------------------------------------------------------------------------------------------
def check_totals(question: HallQuestion) -> None:
    """The totals a file states must be those of its own roll call."""
    tally = dict.fromkeys(_WORDS, 0)
    for vote in question.votes:
        tally[vote.choice] += 1
    wrong = [
        message(
            "hall.total_mismatch",
            N_("{choice}: the file says {stated}, its roll call has {listed}"),
            choice=choice_title(choice),
            stated=stated,
            listed=tally[choice],
        )
        for choice, stated in question.totals.items()
        if tally[choice] != stated
    ]
    if wrong:
        raise InvalidInput(
            "hall.totals_do_not_add_up",
            N_("the totals of question {number} do not add up to its roll call"),
            number=question.number,
            reasons=wrong,
        )


CHOICE_TITLES = {
    "for": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstained"),
    "not_voted": N_("did not vote"),
    "absent": N_("absent"),
}


def choice_title(choice: str) -> Message:
    return message(f"votes.choice_{choice}", CHOICE_TITLES[choice])
