"""Importing the hall voting system's file on the console: our CSV, the JSON list of questions and the
Windows-1251 XML export recorded as the council's vote with the file's SHA-256; a file whose names do not all
match, that is malformed, or that says a registered member's vote is missing records nothing."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from sqlalchemy import select

from tests.web.cabinet.sitting import console, flash_of, nothing_changes, post, refusal_of, sitting
from tests.web.site import sign_in, stored
from workflow.council.sittings.console_models import VoteSource
from workflow.council.sittings.models import Ballot, Vote

FILES = Path(__file__).parents[2] / "workflow" / "council" / "sittings" / "hall_files"


def upload(client, plenary, subject, purpose, name, content, question=""):
    data = {
        "purpose": purpose,
        "subject": str(subject.id),
        "question": question,
        "file": (io.BytesIO(content), name),
    }
    return post(client, console(plenary) + "/vote/imported", data, content_type="multipart/form-data")


def secretary(site):
    client = site.client()
    sign_in(client, site.world.secretary)
    return client


def test_the_windows_1251_xml_export_records_the_vote_with_the_files_checksum(site):
    plenary, item = sitting(site, approved=True)
    content = (FILES / "result-1251.xml").read_bytes()

    done = upload(secretary(site), plenary, item, "decision", "result-1251.xml", content)
    assert done.status_code == 302

    assert stored(site, item)[0] == "adopted"
    with site.app.extensions["radaflow"].sessions() as session:
        vote = session.scalar(select(Vote).where(Vote.subject_id == item.id))
        assert (vote.votes_for, vote.votes_against, vote.abstained, vote.result) == (7, 1, 1, "adopted")
        source = session.get(VoteSource, vote.id)
        assert (source.method, source.file_format, source.file_name, source.file_question) == (
            "imported",
            "xml",
            "result-1251.xml",
            1,
        )
        assert source.file_sha256 == hashlib.sha256(content).hexdigest()


def test_the_json_file_s_second_question_approves_and_decides(site):
    plenary, item = sitting(site)
    client = secretary(site)
    content = (FILES / "result.json").read_bytes()

    done = upload(client, plenary, plenary, "approve_agenda", "result.json", content, question="1")
    assert "«за» 9 з 9, потрібно 5: прийнято" in flash_of(client.get(done.location).get_data(as_text=True))
    upload(client, plenary, item, "decision", "result.json", content, question="2")

    assert stored(site, item)[0] == "adopted"
    with site.app.extensions["radaflow"].sessions() as session:
        vote = session.scalar(select(Vote).where(Vote.subject_id == item.id))
        assert (vote.votes_for, vote.votes_against, vote.abstained, vote.not_voted) == (6, 1, 1, 1)


def test_a_file_of_several_questions_asks_which_one(site):
    plenary, item = sitting(site, approved=True)
    with nothing_changes(site):
        refused = upload(
            secretary(site), plenary, item, "decision", "result.json", (FILES / "result.json").read_bytes()
        )
    assert refused.status_code == 422
    assert "у файлі питань: 2; вкажіть номер того, з якого голосують зараз" in refusal_of(
        refused.get_data(as_text=True)
    )


def test_our_csv_records_the_vote(site):
    plenary, item = sitting(site, approved=True)
    upload(secretary(site), plenary, item, "decision", "result.csv", (FILES / "result.csv").read_bytes())
    with site.app.extensions["radaflow"].sessions() as session:
        vote = session.scalar(select(Vote).where(Vote.subject_id == item.id))
        assert (vote.votes_for, vote.votes_against, vote.abstained, vote.not_voted) == (6, 1, 1, 1)
        assert session.scalar(
            select(Ballot.choice).where(Ballot.vote_id == vote.id, Ballot.name == "Юлія Поліщук")
        ) == ("not_voted")


def test_unknown_duplicate_and_missing_names_are_all_reported_and_nothing_is_recorded(site):
    plenary, item = sitting(site, approved=True)
    lines = (FILES / "result.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = "Василь Гончарук,за"  # nobody
    lines[3] = "Кравець Ганна,за"  # twice (instead of Олег Руденко, who is then missing too)
    del lines[5]  # Ігор Петренко, registered: missing
    content = "\n".join(lines).encode()

    with nothing_changes(site):
        refused = upload(secretary(site), plenary, item, "decision", "result.csv", content)

    said = refusal_of(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert "нічого не записано: спершу треба виправити імена у файлі (проблем: 5)" in said
    assert "рядок 2: «Василь Гончарук» — не член ради" in said
    assert "рядок 4: «Кравець Ганна» названо двічі (уперше: рядок 3)" in said
    assert "«Василь Гончаренко» зареєстрований(-а), але у файлі немає його (її) голосу" in said
    assert "«Ігор Петренко» зареєстрований(-а), але у файлі немає його (її) голосу" in said


def test_a_file_voting_for_an_unregistered_member_is_refused(site):
    plenary, item = sitting(site, present=8, approved=True)  # the mayor is not registered; the file has him «за»
    with nothing_changes(site):
        refused = upload(secretary(site), plenary, item, "decision", "r.csv", (FILES / "result.csv").read_bytes())
    assert refused.status_code == 422
    assert "не зареєстровані члени не можуть голосувати: Микола Бондар" in refusal_of(refused.get_data(as_text=True))


def test_a_malformed_file_or_a_wrong_encoding_is_refused_with_what_is_wrong(site):
    plenary, item = sitting(site, approved=True)
    client = secretary(site)
    data = json.loads((FILES / "result.json").read_text(encoding="utf-8"))
    data[1]["totals"]["for"] = 8
    cases = [
        ("r.csv", (FILES / "result.csv").read_text(encoding="utf-8").encode("cp1251"), "файл — не текст у UTF-8"),
        ("r.json", b'[{"title": ', "це не правильний JSON"),
        ("r.json", json.dumps(data).encode(), "підсумки питання 2 не сходяться з його поіменними голосами"),
        ("r.xml", (FILES / "result-1251.xml").read_bytes().replace(b"windows-1251", b"utf-8"), "не правильний XML"),
        ("r.xml", b"", "файл порожній"),
    ]
    for name, content, said in cases:
        with nothing_changes(site):
            refused = upload(client, plenary, item, "decision", name, content, question="2" if "json" in name else "")
        assert refused.status_code == 422, name
        assert said in refusal_of(refused.get_data(as_text=True)), name


def test_importing_without_a_file_is_refused(site):
    plenary, item = sitting(site, approved=True)
    with nothing_changes(site):
        refused = post(
            secretary(site), console(plenary) + "/vote/imported", {"purpose": "decision", "subject": str(item.id)}
        )
    assert refused.status_code == 422
    assert "виберіть файл системи голосування залу" in refusal_of(refused.get_data(as_text=True))
