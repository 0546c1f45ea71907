"""The hall voting system's files: our CSV, the JSON list of questions and the Windows-1251 XML export read into
roll calls; names matched to members whatever apostrophe, letters, case or initials the hall system used; and
every malformed file refused with what is wrong and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflow.council.sittings.hall import read_file
from workflow.council.sittings.hall_names import match_votes, matches
from workflow.errors import InvalidInput

FILES = Path(__file__).with_name("hall_files")
#: the test council's members (tests/conftest.py), as the council's list writes them
MEMBERS = {
    1: "Василь Гончаренко",
    2: "Ганна Кравець",
    3: "Олег Руденко",
    4: "Марія Савчук",
    5: "Ігор Петренко",
    6: "Наталія Зінченко",
    7: "Андрій Мороз",
    8: "Юлія Поліщук",
    9: "Микола Бондар",
}


def english(error: InvalidInput) -> list[str]:
    return [error.message, *map(str, error.reasons)]


# --- the three formats ------------------------------------------------------------------------------------------
def test_our_csv_is_read_with_every_members_vote():
    kind, (question,) = read_file("result.csv", (FILES / "result.csv").read_bytes())
    assert kind == "csv"
    assert [(v.name, v.choice) for v in question.votes][:4] == [
        ("Василь Гончаренко", "for"),
        ("Ганна Кравець", "for"),
        ("Олег Руденко", "for"),
        ("Марія Савчук", "against"),
    ]
    matched = match_votes(question.votes, MEMBERS, set(MEMBERS))
    assert matched.problems == ()
    assert (matched.ballots[6], matched.ballots[8]) == ("abstain", "not_voted")


def test_the_json_list_of_questions_with_initials_matches_every_member():
    kind, questions = read_file("result.json", (FILES / "result.json").read_bytes())
    assert kind == "json"
    assert [(q.number, q.title, q.time, q.result) for q in questions] == [
        (1, "Про затвердження порядку денного", "2026-03-18T10:05:31", "Прийнято"),
        (2, "Про ремонт даху ліцею № 2", "2026-03-18T10:21:07", "Прийнято"),
    ]
    assert questions[1].votes[0].name == "Гончаренко В.П."
    matched = match_votes(questions[1].votes, MEMBERS, set(MEMBERS))
    assert matched.problems == ()
    assert list(matched.ballots.values()).count("for") == 6


def test_the_windows_1251_xml_export_is_read_by_its_declaration():
    content = (FILES / "result-1251.xml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the fixture really is in Windows-1251
    kind, (question,) = read_file("result-1251.xml", content)
    assert kind == "xml"
    assert question.title == "Про ремонт даху ліцею № 2 м. Славутича"
    assert (question.time, question.result) == ("10:21:07", "Рішення прийнято")
    assert question.totals == {"for": 7, "against": 1, "abstain": 1, "not_voted": 0, "absent": 0}
    matched = match_votes(question.votes, MEMBERS, set(MEMBERS))
    assert matched.problems == ()
    assert matched.ballots[9] == "for"  # «Бондар Микола Іванович»: the list has no patronymic


def test_the_format_is_told_by_the_content_when_the_name_does_not_say():
    assert read_file("export", (FILES / "result-1251.xml").read_bytes())[0] == "xml"
    assert read_file("export.txt", (FILES / "result.json").read_bytes())[0] == "json"


# --- names --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spelled", "member"),
    [
        ("Мельник О. П.", "Оксана Мельник"),
        ("Мельник О.П.", "Мельник Оксана Петрівна"),
        ("О. П. Мельник", "Мельник Оксана Петрівна"),
        ("МЕЛЬНИК ОКСАНА", "Оксана Мельник"),
        ("Мар’яна Кос", "Мар'яна Кос"),
        ("Марʼяна Кос", "Мар'яна Кос"),
        ("Мар`яна Кос", "Мар’яна Кос"),
        ("Iгор Петренко", "Ігор Петренко"),  # a Latin I for the Cyrillic І
        ("Петренко iгор", "Ігор Петренко"),
        ("Бондар Микола Іванович", "Микола Бондар"),
        ("  Бондар   Микола ", "Микола Бондар"),
    ],
)
def test_a_name_matches_whatever_the_hall_system_spells_it_with(spelled, member):
    assert matches(spelled, member)


@pytest.mark.parametrize(
    ("spelled", "member"),
    [
        ("Мельник А. П.", "Оксана Мельник"),
        ("Мельничук О.", "Оксана Мельник"),
        ("Іванович Микола", "Микола Бондар"),
        ("О. П.", "Оксана Мельник"),
        ("Мельник", "Мельник Оксана Петрівна"),
    ],
)
def test_a_name_that_is_not_the_members_does_not_match(spelled, member):
    assert not matches(spelled, member)


def test_every_name_that_does_not_match_is_reported_and_no_ballot_is_given():
    data = json.loads((FILES / "result.json").read_text(encoding="utf-8"))
    del data[1]["totals"]
    votes = data[1]["votes"]
    votes[0]["name"] = "Гончарук В.П."  # unknown
    votes[2]["name"] = "Кравець Г.І."  # twice: Кравець is votes[1] too
    del votes[4]  # Петренко: registered, and missing
    members = {**MEMBERS, 10: "Ганна Кравченко", 11: "Марія Савчук-Лис"}
    _kind, questions = read_file("x.json", json.dumps(data, ensure_ascii=False).encode())

    matched = match_votes(questions[1].votes, members, set(MEMBERS))

    assert [str(p) for p in matched.problems] == [
        "question 2, vote 1: «Гончарук В.П.» is not a member of the council",
        "question 2, vote 3: «Кравець Г.І.» is named twice (first at question 2, vote 2)",
        "«Василь Гончаренко» is registered but the file has no vote of theirs",
        "«Олег Руденко» is registered but the file has no vote of theirs",
        "«Ігор Петренко» is registered but the file has no vote of theirs",
    ]


def test_a_name_that_fits_two_members_is_reported_with_both():
    members = {1: "Оксана Мельник", 2: "Олег Мельник"}
    votes = read_file("x.csv", "name,vote\nМельник О.,за\n".encode())[1][0].votes
    (problem,) = match_votes(votes, members, set()).problems
    assert str(problem) == "line 2: «Мельник О.» could be any of Оксана Мельник, Олег Мельник"


# --- malformed files ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("a.csv", b"", "the file is empty"),
        ("a.csv", "прізвище,голос\nМельник,за\n".encode(), "the first line must name the columns: name,vote"),
        ("a.csv", "name,vote\nМельник О.,можливо\n".encode(), "line 2: «можливо» is not a vote"),
        ("a.csv", "name,vote\nМельник\n".encode(), "line 2 has 1 columns, the header 2"),
        ("a.csv", "name,vote\nМельник,за\n".encode("cp1251"), "the file is not UTF-8 text (byte 11 cannot be read)"),
        ("a.json", b'[{"title": "x", "votes": [', "it is not valid JSON (line 1, column 27"),
        ("a.json", b'{"title": "x"}', "it must be a list of questions"),
        ("a.json", b'[{"title": "x"}]', "question 1 has no list of votes ('votes')"),
        ("a.json", b'[{"votes": [{"name": "x"}]}]', "question 1, vote 1 must be an object with a 'name' and a 'vote'"),
        ("a.json", b"[]", "the file holds no question with votes"),
        (
            "a.xml",
            '<?xml version="1.0" encoding="utf-8"?><Vopros><Poimen><Deputat><Name>Мельник</Name>'
            "<Golos>За</Golos></Deputat></Poimen></Vopros>".encode("cp1251"),
            "it is not well-formed XML (line 1, column",
        ),
        ("a.xml", b"<Vopros><Poimen/></Vopros>", "question 1 has no Poimen/Deputat votes"),
        ("a.xml", b"<Vopros><Poimen><Deputat><Name>X Y</Name></Deputat></Poimen></Vopros>", "has no Golos"),
        (
            "a.xml",
            b'<?xml version="1.0"?><!DOCTYPE v [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<Vopros><Poimen><Deputat><Name>&b;</Name><Golos>1</Golos></Deputat></Poimen></Vopros>",
            "it declares entities or external references, which are not read",
        ),
        (
            "a.xml",
            b'<?xml version="1.0"?><!DOCTYPE v SYSTEM "file:///etc/passwd"><Vopros/>',
            "it declares entities or external references, which are not read",
        ),
    ],
)
def test_a_malformed_file_is_refused_saying_what_is_wrong(name, content, said):
    with pytest.raises(InvalidInput) as refused:
        read_file(name, content)
    assert said in " ".join(english(refused.value))


def test_totals_that_do_not_add_up_to_the_roll_call_are_refused():
    data = json.loads((FILES / "result.json").read_text(encoding="utf-8"))
    data[1]["totals"] = {"for": 7, "against": 1}
    with pytest.raises(InvalidInput) as refused:
        read_file("x.json", json.dumps(data).encode())
    assert english(refused.value) == [
        "the totals of question 2 do not add up to its roll call",
        "for: the file says 7, its roll call has 6",
    ]


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    with pytest.raises(InvalidInput) as refused:
        read_file("x.csv", b"name,vote\n" + b"x" * (5 * 1024 * 1024))
    assert "at most 5242880 are read" in refused.value.message
