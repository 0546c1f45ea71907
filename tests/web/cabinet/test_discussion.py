"""The public discussion beside the draft in the cabinet: the lead committee and the secretary read the comments,
the secretary hides one with a reason (then the public sees that it was hidden and why), and nobody else may."""

from __future__ import annotations

import re

from tests.web.public.portal import citizen, everything, post_comment, published_today
from tests.web.site import Site, in_english, page_of, password_hash, sign_in, text_of
from workflow.council.committees import meetings
from workflow.council.discussion import discussion
from workflow.council.drafts import drafts
from workflow.engine.models import Document


def discussed(site: Site) -> tuple[Document, int]:
    """A draft published today with one citizen's comment, sent to the budget committee (the lead one)."""
    draft = published_today(site)
    client = site.client()
    sign_in(client, citizen(site))
    assert post_comment(client, draft, text="Образливий текст", position="against", name="Анонім").status_code == 302
    with site.app.extensions["radaflow"].sessions() as session:
        [comment] = discussion.comments_of(session, draft.id)
    return draft, comment.id


def form_token(client, draft: Document) -> str:
    """The CSRF token of the reader's forms (opening the page marks what they were told about it read)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page_of(client, draft))
    assert found is not None
    return found.group(1)


def hide(client, draft: Document, comment_id: int, reason: str, token: str | None = None):
    return client.post(
        f"/documents/{draft.id}/comments/{comment_id}/hide",
        data={"csrf_token": token or form_token(client, draft), "reason": reason},
    )


def test_the_lead_committee_reads_the_comments_beside_the_draft_and_others_do_not(site):
    world = site.world
    draft, _comment = discussed(site)
    site.session.refresh(draft)
    drafts.send_to_committees(site.session, draft, world.actor(world.secretary), world.budget)
    site.commit()
    chair, outsider = site.client(), site.client()
    sign_in(chair, world.deputies[0])  # the budget committee's chair
    world.education  # noqa: B018 - the other committee: its chair is no deputy with a password here
    sign_in(outsider, world.lawyer)  # a reviewer: of the council's people, but not of the lead committee

    page = text_of(page_of(chair, draft))

    assert "Громадське обговорення Коментарі: 0 за, 1 проти, 0 нейтральних." in page
    assert "Анонім — проти проєкту" in page
    assert "Образливий текст" in page
    assert "Приховати коментар" not in page  # the chair reads; the secretary moderates
    assert "Анонім" not in page_of(outsider, draft)


def test_the_secretary_hides_a_comment_and_the_public_sees_that_it_was_hidden_and_why(site):
    draft, comment_id = discussed(site)
    secretary = site.client()
    sign_in(secretary, site.world.secretary)

    response = hide(secretary, draft, comment_id, "Образа інших учасників")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/documents/{draft.id}#discussion"
    public = site.client().get(f"/drafts/{draft.id}").get_data(as_text=True)
    assert "Приховано модератором" in public
    assert "Образа інших учасників" in public
    assert "Образливий текст" not in public
    assert "Анонім" not in public
    assert "1 коментар приховав модератор." in text_of(public)
    english = text_of(in_english(site.client()).get(f"/drafts/{draft.id}").get_data(as_text=True))
    assert "Hidden by the moderator on" in english
    assert "1 comment was hidden by the moderator." in english


def test_moderation_by_anyone_but_the_secretary_or_without_a_reason_is_refused_and_changes_nothing(site):
    world = site.world
    draft, comment_id = discussed(site)
    site.session.refresh(draft)
    drafts.send_to_committees(site.session, draft, world.actor(world.secretary), world.budget)
    site.commit()
    chair, secretary = site.client(), site.client()
    sign_in(chair, world.deputies[0])
    sign_in(secretary, world.secretary)
    other = published_today(site, "Інший проєкт")
    tokens = {"chair": form_token(chair, draft), "secretary": form_token(secretary, draft)}
    before = everything(site)

    refused = hide(chair, draft, comment_id, "Не подобається", tokens["chair"])
    assert refused.status_code == 403
    assert "коментарі модерує секретар ради" in refused.get_data(as_text=True)
    empty = hide(secretary, draft, comment_id, "   ", tokens["secretary"])
    assert empty.status_code == 422
    assert "вкажіть, чому коментар приховано" in empty.get_data(as_text=True)
    assert (
        secretary.post(f"/documents/{draft.id}/comments/{comment_id}/hide", data={"reason": "Спам"}).status_code == 400
    )
    assert (
        hide(secretary, other, comment_id, "Спам", tokens["secretary"]).status_code == 404
    )  # not a comment of that draft
    stranger = site.client().post(f"/documents/{draft.id}/comments/{comment_id}/hide", data={"reason": "Спам"})
    assert stranger.status_code in (302, 400)
    assert before.differences(everything(site)) == []


def test_the_lead_committee_writing_its_conclusion_is_asked_to_say_how_it_took_the_comments_into_account(site):
    world = site.world
    draft, _comment = discussed(site)
    site.session.refresh(draft)
    lead, advisory = drafts.send_to_committees(
        site.session, draft, world.actor(world.secretary), world.budget, [world.education]
    )
    for conclusion, committee in ((lead, world.budget), (advisory, world.education)):
        chair = world.actor(committee_chair(world, committee))
        meeting = meetings.plan_meeting(site.session, chair, committee, starts_at=world.at(30), place="Кімната 12")
        meetings.add_paper(site.session, meeting, chair, conclusion)
        meetings.open_meeting(site.session, meeting, chair, now=world.at(30))
        if committee is world.budget:
            lead_meeting = meeting
        else:
            advisory_meeting = meeting
    for person in world.deputies[:7]:
        person.password_hash = password_hash()
    site.commit()

    client = site.client()
    sign_in(client, world.deputies[0])  # the budget committee's chair
    lead_page = client.get(f"/cabinet/committee-meetings/{lead_meeting.id}").get_data(as_text=True)
    shown = text_of(lead_page)
    assert "Проєкт був на громадському обговоренні. Коментарі: 0 за, 1 проти, 0 нейтральних." in shown
    assert "Скажіть у тексті, як комісія їх урахувала: підписаний висновок читає громадськість." in shown
    assert f'href="/documents/{draft.id}#discussion"' in lead_page
    assert 'aria-describedby="discussed-' in lead_page  # the text field is described by it

    advisory_chair = site.client()
    sign_in(advisory_chair, committee_chair(world, world.education))
    advisory_page = advisory_chair.get(f"/cabinet/committee-meetings/{advisory_meeting.id}").get_data(as_text=True)
    assert "громадському обговоренні" not in advisory_page  # the lead committee answers for the discussion


def committee_chair(world, committee):
    return world.deputies[0] if committee is world.budget else world.deputies[4]
