"""The decision's path and roll call as the public pages show them: every step in the log's order, the vote as an
accessible table linking each member's page with a chart and its text, and the pages readable in English with
nothing Ukrainian left outside the documents' content."""

from __future__ import annotations

import re

from tests.web.pages import tables
from tests.web.public.portal import citizen, post_comment, published_today
from tests.web.site import in_english, sign_in, text_of
from tests.web.test_i18n import ukrainian_left
from workflow.council.drafts import drafts
from workflow.council.sittings import sessions
from workflow.council.sittings.votes import hold_vote
from workflow.engine import fire


def vetoed_and_overridden(site):
    """A draft adopted on day 16 (6 for, 2 against, 1 abstained), vetoed, the veto overridden by 7 votes of 9."""
    world = site.world
    session = site.session
    draft = world.reviewed_draft()
    plenary = world.planned_session(number=12, days=16)
    item = sessions.add_to_agenda(session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=16)
    secretary = world.actor(world.secretary, 16)
    sessions.approve_agenda(session, plenary, secretary, world.ballots(for_=9), now=world.at(16))
    sessions.vote_on_item(
        session, plenary, secretary, item, world.ballots(for_=6, against=2, abstain=1), now=world.at(16)
    )
    fire(session, draft, "veto", world.actor(world.mayor, 16), comment="Суперечить бюджету", now=world.at(16))
    hold_vote(
        session,
        plenary,
        secretary,
        purpose="veto_override",
        subject=draft,
        question="Про подолання вето",
        ballots=world.ballots(for_=7, against=2),
        threshold="two_thirds",
        now=world.at(16),
    )
    fire(session, draft, "override_veto", secretary, now=world.at(16))
    fire(session, draft, "publish", world.actor(world.secretary, 17), now=world.at(17))
    site.commit()
    return draft


def test_the_path_shows_every_step_and_each_roll_call_with_its_members_linked(site):
    world = site.world
    draft = vetoed_and_overridden(site)

    page = site.client().get(f"/drafts/{draft.id}").get_data(as_text=True)
    words = text_of(page)

    steps = re.findall(r"<h3>([^<]+)</h3>", page)
    assert steps == [
        "Ініційовано",
        "Погоджено структурними підрозділами (візи)",
        "Оприлюднено для громадського обговорення",
        "Направлено до постійних комісій",
        "Включено до порядку денного сесії",
        "Прийнято радою",
        "Ветовано міським головою",
        "Вето подолано радою",
        "Рішення оприлюднено",
    ]
    assert (
        "З питань бюджету (головна комісія): висновок, підписаний 03.03.2026 11:00, рекомендує підтримати проєкт."
        in words
    )
    assert "Сесія № 12, 18.03.2026 11:00" in words
    assert "Рішення № 1-12-VIII від 18 березня 2026 р." in words
    assert "Суперечить бюджету" not in page  # what was said on the move stays inside
    decision_vote, override_vote = (t for t in tables(page) if t[0] == ["Член ради", "Голос"])
    assert len(decision_vote) == 1 + 9
    assert [world.mayor.full_name, "Утримався"] in decision_vote  # one member's ballot: the singular
    names = [row[0] for row in decision_vote[1:]]
    assert names[:3] == ["Андрій Мороз", "Василь Гончаренко", "Ганна Кравець"]  # by the Ukrainian alphabet
    assert names[-2:] == ["Олег Руденко", "Юлія Поліщук"]
    assert "Ігор Петренко" in names[3:6]
    assert "Законний строк обговорення тривав до 16 березня 2026 р." in words
    assert sum(row[1] == "За" for row in override_vote[1:]) == 7
    assert f'<a href="/deputies/{world.deputies[0].id}" data-content>{world.deputies[0].full_name}</a>' in page
    assert page.count('<svg viewBox="0 0 400 130"') == 2
    assert "За: 6; Проти: 2; Утрималися: 1; Не голосували: 0; Відсутні: 0." in words  # the chart's text
    assert "Потрібно було 6 голосів «за»: дві третини від загального складу 9." in words


def test_in_a_roll_call_only_the_deputies_link_to_a_page_and_the_mayor_is_named_without_one(site):
    world = site.world
    draft = vetoed_and_overridden(site)
    client = site.client()

    page = client.get(f"/drafts/{draft.id}").get_data(as_text=True)

    linked = set(re.findall(r'<a href="(/deputies/\d+)" data-content>', page))
    assert linked == {f"/deputies/{deputy.id}" for deputy in world.deputies}
    assert all(client.get(address).status_code == 200 for address in linked)
    # the mayor votes as a member of the council but has no deputy's page: a link would lead to "not found"
    assert client.get(f"/deputies/{world.mayor.id}").status_code == 404
    assert page.count(f'<th scope="row"><span data-content>{world.mayor.full_name}</span></th>') == 2


def test_the_path_partial_needs_nothing_but_path_and_the_roll_call_nothing_but_vote(site):
    draft = vetoed_and_overridden(site)
    with site.app.test_request_context("/"):
        from flask import render_template_string

        from web.database import db
        from web.public.path import path_for, roll_call_of
        from workflow.council.sittings.models import Vote

        path = path_for(draft)
        html = render_template_string('{% include "public/_decision_path.html" %}', path=path)
        vote = db().get(Vote, path.of("override")[0].vote.id)
        roll = render_template_string('{% include "public/_roll_call.html" %}', vote=roll_call_of(vote))
    assert "Вето подолано радою" in html
    assert "Про подолання вето" in roll


def test_the_drafts_pages_read_in_english_keep_no_ukrainian_outside_the_content(site):
    draft = published_today(site)
    overridden = vetoed_and_overridden(site)
    client = in_english(site.client())
    sign_in(client, citizen(site))
    post_comment(client, draft)
    refused = post_comment(client, draft, text=" ")
    pages = {
        "drafts": client.get("/drafts"),
        "draft": client.get(f"/drafts/{draft.id}"),
        "decided": client.get(f"/drafts/{overridden.id}"),
        "refused": refused,
    }
    secretary = in_english(site.client())
    sign_in(secretary, site.world.secretary)
    pages["cabinet"] = secretary.get(f"/documents/{draft.id}")

    html = {name: response.get_data(as_text=True) for name, response in pages.items()}
    assert {name: ukrainian_left(text) for name, text in html.items() if ukrainian_left(text)} == {}
    assert "Approved by the departments (visas)" in html["draft"]
    assert "The veto overridden by the council" in html["decided"]
    assert "the comment is empty" in html["refused"]
    assert "Hide the comment" in html["cabinet"]


def test_a_draft_that_went_back_for_revision_after_publication_says_so(site):
    world = site.world
    draft = published_today(site)
    drafts.return_for_revision(site.session, draft, world.actor(world.secretary), "Потрібні розрахунки")
    site.commit()
    # back in drafting, it is no longer public
    assert site.client().get(f"/drafts/{draft.id}").status_code == 404
