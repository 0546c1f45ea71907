"""The committee's workplace: the drafts referred to it with their due dates, its meetings, the vote on each
conclusion and the chair's signature, the protocol read back — and every refusal, which changes nothing."""

from __future__ import annotations

import io
import re
from html import unescape

from docx import Document as Docx

from tests.conftest import snapshot
from tests.web.cabinet.committee_scenes import meeting_path, planned, post, referred
from tests.web.cabinet.test_work import linked, work_rows
from tests.web.site import in_english, sign_in, text_of
from workflow.council.committees import conclusions, meetings
from workflow.engine.models import Document
from workflow.files import list_files


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# --- my work and the workplace ---------------------------------------------------------------------------------
def test_the_chair_s_work_shows_the_draft_waiting_in_committee(site):
    _draft, conclusion = referred(site)
    world = site.world
    chair, secretary, member = site.client(), site.client(), site.client()
    sign_in(chair, world.deputies[0])
    sign_in(secretary, world.deputies[1])
    sign_in(member, world.deputies[2])

    assert linked(chair, "/cabinet") == [conclusion.id]
    assert work_rows(chair)[0][:2] == ["Висновок комісії З питань бюджету", "Готується"]
    assert linked(secretary, "/cabinet") == [conclusion.id], "the committee's secretary runs its meetings too"
    assert linked(member, "/cabinet") == []


def test_the_workplace_lists_the_drafts_referred_with_their_due_dates(site):
    draft, _conclusion = referred(site)
    world = site.world
    client = site.client()
    sign_in(client, world.deputies[0])

    listing = page(client, "/cabinet/committees")
    assert "Мої комісії" in listing
    assert f'href="/cabinet/committees/{world.budget.id}"' in listing
    shown = text_of(page(client, f"/cabinet/committees/{world.budget.id}"))
    assert "Проєкти, направлені до комісії" in shown
    assert f"{draft.title} головна Готується" in shown
    assert "прострочено" in shown, "the ten working days ran out long ago"
    assert "Запланувати засідання" in shown
    english = text_of(page(in_english(client), f"/cabinet/committees/{world.budget.id}"))
    assert f"{draft.title} lead Being prepared" in english

    advisory = site.client()
    sign_in(advisory, world.deputies[4])
    assert f"{draft.title} дорадча" in text_of(page(advisory, f"/cabinet/committees/{world.education.id}"))


def test_a_member_reads_the_workplace_and_a_stranger_finds_nothing(site):
    _draft, conclusion = referred(site)
    world = site.world
    meeting = planned(site, conclusion)
    member, stranger = site.client(), site.client()
    sign_in(member, world.deputies[2])
    sign_in(stranger, world.deputies[4])  # chairs the education committee, not the budget one

    shown = page(member, f"/cabinet/committees/{world.budget.id}")
    assert "Запланувати засідання" not in shown
    assert "ви — член комісії" in text_of(shown)
    meeting_page = page(member, meeting_path(meeting))
    assert "Записати присутність" not in meeting_page
    assert "<form" not in meeting_page.split("</header>", 1)[1], "a member reads the meeting, with no form to post"
    assert stranger.get(f"/cabinet/committees/{world.budget.id}").status_code == 404
    assert stranger.get(meeting_path(meeting)).status_code == 404
    assert stranger.get("/cabinet/committees/999999").status_code == 404
    assert stranger.get("/cabinet/committees/99999999999").status_code == 404


# --- the whole meeting by its forms -------------------------------------------------------------------------------
def test_the_committee_meets_votes_signs_and_its_protocol_has_every_roll_call(site):
    draft, conclusion = referred(site)
    world = site.world
    chair, secretary = site.client(), site.client()
    sign_in(chair, world.deputies[0])
    sign_in(secretary, world.deputies[1])

    response = post(
        secretary,
        f"/cabinet/committees/{world.budget.id}/meetings",
        {"day": "2026-03-04", "time": "14:00", "place": "Кімната 12"},
    )
    assert response.status_code == 302
    meeting_id = int(re.search(r"/cabinet/committee-meetings/(\d+)", response.headers["Location"]).group(1))
    meeting = site.session.get(Document, meeting_id)
    assert post(secretary, meeting_path(meeting, "papers"), {"conclusion": str(conclusion.id)}).status_code == 302
    assert post(secretary, meeting_path(meeting, "open")).status_code == 302
    present = [str(p.id) for p in world.deputies[:3]]
    assert post(secretary, meeting_path(meeting, "attendance"), {"present": present}).status_code == 302
    shown = text_of(page(secretary, meeting_path(meeting)))
    assert "Присутні: 3 з 4 членів; кворум — 3." in shown
    assert "Комісія має кворум." in shown
    written = post(
        chair,
        meeting_path(meeting, f"papers/{conclusion.id}/conclusion"),
        {"recommendation": "support", "body": "Підтримати проєкт рішення."},
    )
    assert written.status_code == 302
    ballots = {f"choice-{world.deputies[0].id}": "for", f"choice-{world.deputies[1].id}": "for"}
    ballots[f"choice-{world.deputies[2].id}"] = "for"
    assert post(secretary, meeting_path(meeting, f"papers/{conclusion.id}/vote"), ballots).status_code == 302
    shown = text_of(page(chair, meeting_path(meeting)))
    assert "прийнято: за — 3, проти — 0, утрималися — 0, не голосували — 0, відсутні — 1" in shown
    assert "Марія Савчук відсутній" in shown
    assert post(chair, meeting_path(meeting, f"papers/{conclusion.id}/sign")).status_code == 302
    assert post(secretary, meeting_path(meeting, "close")).status_code == 302
    site.commit()

    site.session.refresh(conclusion)
    site.session.refresh(meeting)
    assert (conclusion.state, meeting.state) == ("signed", "closed")
    (protocol,) = list_files(site.session, meeting.id)
    shown = page(chair, meeting_path(meeting))
    assert f"/documents/{meeting.id}/files/{protocol.id}" in shown
    downloaded = chair.get(f"/documents/{meeting.id}/files/{protocol.id}")
    assert downloaded.status_code == 200
    docx = Docx(io.BytesIO(downloaded.data))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "ПРОТОКОЛ" in text
    assert "Постійна комісія З питань бюджету" in text
    assert "Місце: Кімната 12" in text
    assert "Склад комісії: 4. Присутні: 3, відсутні: 1. Для кворуму потрібно: 3 — кворум є." in text
    assert f"СЛУХАЛИ: 1. Про проєкт рішення «{draft.title}»" in text
    assert "Висновок комісії: підтримати проєкт рішення." in text
    agenda, attendance, roll_call = ([[c.text for c in row.cells] for row in table.rows] for table in docx.tables)
    assert agenda[1] == ["1", f"Про проєкт рішення «{draft.title}»"]
    assert sorted(row[1:] for row in attendance[1:]) == sorted(
        [[p.full_name, "присутній"] for p in world.deputies[:3]] + [["Марія Савчук", "відсутній"]]
    )
    assert sorted(row[1:] for row in roll_call[1:]) == sorted(
        [[p.full_name, "за"] for p in world.deputies[:3]] + [["Марія Савчук", "відсутній"]]
    )
    assert linked(chair, "/cabinet") == [], "nothing waits for the chair once the conclusion is signed"


# --- refusals ---------------------------------------------------------------------------------------------------
def refused(site, client, path, data, status, uk, en):
    """The post is refused with `status` and the message in both languages, and nothing in the database
    changed."""
    before = snapshot(site.session)
    response = post(client, path, data)
    assert response.status_code == status
    assert uk in unescape(text_of(response.get_data(as_text=True)))
    english = post(in_english(client), path, data)
    assert english.status_code == status
    assert en in unescape(text_of(english.get_data(as_text=True)))
    client.set_cookie("radaflow_lang", "uk")
    assert snapshot(site.session) == before, "a refused post left a trace in the database"


def written_and_attended(site, conclusion, meeting, present: int) -> None:
    world = site.world
    chair = world.actor(world.deputies[0], 2)
    conclusions.write_conclusion(
        site.session, conclusion, chair, recommendation="support", body="Підтримати.", now=world.at(2)
    )
    members = [p.id for p in world.deputies[:present]]
    meetings.record_attendance_of(site.session, meeting, chair, members, now=world.at(2))
    site.commit()


def test_a_vote_without_quorum_is_refused(site):
    _draft, conclusion = referred(site)
    meeting = planned(site, conclusion)
    written_and_attended(site, conclusion, meeting, present=2)
    client = site.client()
    sign_in(client, site.world.deputies[0])

    refused(
        site,
        client,
        meeting_path(meeting, f"papers/{conclusion.id}/vote"),
        {f"choice-{site.world.deputies[0].id}": "for"},
        409,
        "немає кворуму комісії: присутні 2 з 4 членів, потрібно щонайменше 3",
        "no quorum in the committee: 2 of its 4 members are present, at least 3 are needed",
    )


def test_a_second_vote_on_the_same_conclusion_is_refused(site):
    _draft, conclusion = referred(site)
    meeting = planned(site, conclusion)
    written_and_attended(site, conclusion, meeting, present=4)
    client = site.client()
    sign_in(client, site.world.deputies[1])
    ballots = {f"choice-{p.id}": "against" for p in site.world.deputies[:4]}
    assert post(client, meeting_path(meeting, f"papers/{conclusion.id}/vote"), ballots).status_code == 302

    refused(
        site,
        client,
        meeting_path(meeting, f"papers/{conclusion.id}/vote"),
        ballots,
        409,
        "комісія вже проголосувала за цей висновок у чинній редакції",
        "the committee has already voted on this conclusion as it stands",
    )


def test_a_member_who_does_not_run_the_committee_cannot_record_anything(site):
    _draft, conclusion = referred(site)
    meeting = planned(site, conclusion)
    written_and_attended(site, conclusion, meeting, present=4)
    member = site.client()
    sign_in(member, site.world.deputies[2])

    refused(
        site,
        member,
        meeting_path(meeting, "attendance"),
        {"present": [str(site.world.deputies[2].id)]},
        403,
        "присутність на засіданні комісії записує її голова або секретар",
        "a committee's attendance is recorded by its chair or its secretary",
    )
    refused(
        site,
        member,
        meeting_path(meeting, f"papers/{conclusion.id}/vote"),
        {},
        403,
        "голосування комісії вносить її голова або секретар",
        "a committee's vote is recorded by its chair or its secretary",
    )


def test_only_the_chair_writes_and_signs_the_conclusion(site):
    _draft, conclusion = referred(site)
    meeting = planned(site, conclusion)
    written_and_attended(site, conclusion, meeting, present=4)
    secretary = site.client()
    sign_in(secretary, site.world.deputies[1])

    refused(
        site,
        secretary,
        meeting_path(meeting, f"papers/{conclusion.id}/conclusion"),
        {"recommendation": "reject", "body": "Відхилити."},
        403,
        "висновок комісії пише її голова",
        "the committee's conclusion is written by the committee's chair",
    )
    ballots = {f"choice-{p.id}": "for" for p in site.world.deputies[:4]}
    assert post(secretary, meeting_path(meeting, f"papers/{conclusion.id}/vote"), ballots).status_code == 302
    refused(
        site,
        secretary,
        meeting_path(meeting, f"papers/{conclusion.id}/sign"),
        {},
        403,
        "може виконати лише",
        "can be done only by",
    )


def test_wrong_states_and_bad_input_are_refused(site):
    _draft, conclusion = referred(site)
    meeting = planned(site, conclusion, opened=False)
    chair = site.client()
    sign_in(chair, site.world.deputies[0])

    refused(
        site,
        chair,
        meeting_path(meeting, "attendance"),
        {"present": [str(site.world.deputies[0].id)]},
        409,
        "присутність записують, поки засідання триває",
        "attendance is recorded while the meeting is in progress",
    )
    refused(
        site,
        chair,
        meeting_path(meeting, "attendance"),
        {"present": ["not-a-number"]},
        422,
        "у списку присутніх немає такого члена",
        "the attendance names no member",
    )
    refused(
        site,
        chair,
        meeting_path(meeting, f"papers/{conclusion.id}/conclusion"),
        {"recommendation": "maybe", "body": "Так."},
        422,
        "оберіть рекомендацію комісії",
        "choose the committee's recommendation",
    )
    refused(
        site,
        chair,
        meeting_path(meeting, "papers"),
        {"conclusion": str(conclusion.id)},
        422,
        "уже є в порядку денному цього засідання",
        "is already on this meeting's agenda",
    )
    refused(
        site,
        chair,
        meeting_path(meeting, "cancel"),
        {"comment": "  "},
        422,
        "потребує коментаря",
        "needs a comment",
    )
    refused(
        site,
        chair,
        f"/cabinet/committees/{site.world.budget.id}/meetings",
        {"day": "2026-03-04", "time": "14:00", "place": ""},
        422,
        "Вкажіть, де засідає комісія.",
        "Say where the committee meets.",
    )
