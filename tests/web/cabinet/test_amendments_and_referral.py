"""Sending a draft to committees, amendments from a deputy's proposal to the text's new version, and a reviewer's
visa requests with what changed since the last round: through the pages, every refusal changing nothing."""

from __future__ import annotations

import re

from tests.web.cabinet.drafting_site import nothing_changed, post
from tests.web.site import in_english, sign_in, submitted, text_of
from workflow.council.drafts import drafts, versions
from workflow.council.drafts.amendments import vote_on_amendment
from workflow.council.sittings import sessions
from workflow.engine import fire
from workflow.engine.models import Document

DAY = 16


def _version(page: str) -> str:
    found = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'type="hidden" name="version" value="(\d+)"', page
    )
    assert found is not None
    return found.group(1)


# --- sending to committees ------------------------------------------------------------------------------------
def test_the_secretary_sends_a_draft_to_its_lead_and_advisory_committees(site):
    world = site.world
    draft = world.published_draft()
    site.commit()
    client = site.client()
    sign_in(client, world.secretary)
    document_page = client.get(f"/documents/{draft.id}").get_data(as_text=True)
    assert f'на окремому робочому місці: <a href="/drafts/{draft.id}/committees">відкрити його</a>' in document_page
    page = client.get(f"/drafts/{draft.id}/committees").get_data(as_text=True)
    assert "Головна комісія" in page

    response = post(
        client,
        f"/drafts/{draft.id}/committees",
        {
            "lead_committee": str(world.budget.id),
            "advisory_committees": [str(world.education.id)],
            "version": _version(page),
        },
    )

    assert response.status_code == 302
    site.session.expire_all()
    conclusions = drafts.children(site.session, site.session.get(Document, draft.id), "committee_conclusion")
    assert [(c.fields["committee_id"], c.fields["lead"]) for c in conclusions] == [
        (world.budget.id, True),
        (world.education.id, False),
    ]
    assert site.session.get(Document, draft.id).state == "committee_review"


def test_sending_by_someone_else_or_with_the_lead_as_advisory_is_refused(site):
    world = site.world
    draft = world.published_draft()
    site.commit()
    author = site.client()
    sign_in(author, world.staff)
    page = text_of(author.get(f"/drafts/{draft.id}/committees").get_data(as_text=True))
    assert "може виконати лише: секретар ради" in page
    with nothing_changed(site):
        response = post(
            author,
            f"/drafts/{draft.id}/committees",
            {"lead_committee": str(world.budget.id), "version": str(draft.version)},
        )
    assert response.status_code == 403

    secretary = site.client()
    sign_in(secretary, world.secretary)
    with nothing_changed(site):
        response = post(
            secretary,
            f"/drafts/{draft.id}/committees",
            {
                "lead_committee": str(world.budget.id),
                "advisory_committees": [str(world.budget.id)],
                "version": str(draft.version),
            },
        )
    assert response.status_code == 422
    assert "головна комісія не може бути водночас дорадчою" in response.get_data(as_text=True)


def test_a_draft_not_in_discussion_is_not_sent(site):
    draft = submitted(site)
    client = site.client()
    sign_in(client, site.world.secretary)
    assert "не перебуває на громадському обговоренні" in client.get(f"/drafts/{draft.id}/committees").get_data(
        as_text=True
    )
    with nothing_changed(site):
        response = post(
            client,
            f"/drafts/{draft.id}/committees",
            {"lead_committee": str(site.world.budget.id), "version": str(draft.version)},
        )
    assert response.status_code == 409


# --- amendments -----------------------------------------------------------------------------------------------
def test_a_deputy_proposes_an_amendment_the_chair_supports_and_the_secretary_applies_it(site):
    world = site.world
    draft = world.reviewed_draft()
    site.commit()
    deputy = site.client()
    sign_in(deputy, world.deputies[1])
    assert "Запропонувати поправку" in deputy.get(f"/documents/{draft.id}").get_data(as_text=True)

    response = post(
        deputy,
        f"/drafts/{draft.id}/amendments/new",
        {"replace": "1,2 млн грн", "wording": "1,5 млн грн", "text": "Кошторис зріс."},
    )
    assert response.status_code == 302
    site.session.expire_all()
    (amendment,) = drafts.children(site.session, site.session.get(Document, draft.id), "amendment")
    change = deputy.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
    assert "[вилучено: </span>2" in change
    assert "[додано: </span>5" in change

    chair = site.client()
    sign_in(chair, world.deputies[0])  # chairs the budget committee, the lead
    page = chair.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
    assert (
        post(
            chair,
            f"/amendments/{amendment.id}/opinion",
            {"opinion": "support", "reasoning": "Кошторис дозволяє", "version": _version(page)},
        ).status_code
        == 302
    )

    plenary = world.planned_session(number=12, days=DAY)
    secretary_actor = world.actor(world.secretary, DAY)
    item = sessions.add_to_agenda(site.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    world.open(plenary, days=DAY)
    sessions.approve_agenda(site.session, plenary, secretary_actor, world.ballots(for_=9), now=world.at(DAY))
    fire(site.session, item, "consider", secretary_actor, now=world.at(DAY))
    site.session.expire_all()
    amendment = site.session.get(Document, amendment.id)
    vote_on_amendment(site.session, plenary, secretary_actor, amendment, world.ballots(for_=9), now=world.at(DAY))
    site.commit()

    secretary = site.client()
    sign_in(secretary, world.secretary)
    page = secretary.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
    assert "Внести поправку до тексту" in page
    response = post(secretary, f"/amendments/{amendment.id}/apply", {"version": _version(page)}, follow_redirects=True)
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert "Поправку внесено: версія тексту" in shown
    assert "[додано: </span>5" in shown
    site.session.expire_all()
    applied = site.session.get(Document, draft.id)
    assert applied.fields["body"] == "Виділити 1,5 млн грн на ремонт."
    assert versions.versions(site.session, applied)[-1].amendment_id == amendment.id

    with nothing_changed(site):  # once is enough
        page = secretary.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
        response = post(secretary, f"/amendments/{amendment.id}/apply", {"version": str(amendment.version)})
    assert response.status_code == 409
    assert "поправку вже внесено до тексту" in response.get_data(as_text=True)


def test_amendment_refusals_change_nothing(site):
    world = site.world
    draft = world.reviewed_draft()
    site.commit()
    staff = site.client()
    sign_in(staff, world.staff)
    with nothing_changed(site):
        response = post(
            staff, f"/drafts/{draft.id}/amendments/new", {"replace": "1,2", "wording": "1,5", "text": "Так."}
        )
    assert response.status_code == 403
    assert "поправки пропонує: депутат ради" in response.get_data(as_text=True)

    deputy = site.client()
    sign_in(deputy, world.deputies[1])
    with nothing_changed(site):
        response = post(
            deputy,
            f"/drafts/{draft.id}/amendments/new",
            {"replace": "немає таких слів", "wording": "x", "text": "Так."},
        )
    assert response.status_code == 422
    assert "рівно один раз; їх знайдено 0 раз(и)" in response.get_data(as_text=True)
    with nothing_changed(site):
        response = post(in_english(deputy), f"/drafts/{draft.id}/amendments/new", {"replace": "1,2", "text": ""})
    assert response.status_code == 422
    assert "Say what the amendment changes and why." in response.get_data(as_text=True)

    early = submitted(site)  # awaiting visas: no amendments yet
    with nothing_changed(site):
        response = post(deputy, f"/drafts/{early.id}/amendments/new", {"replace": "1,2", "wording": "1,5", "text": "Т"})
    assert response.status_code == 409


def test_an_opinion_by_someone_not_chairing_the_lead_committee_is_refused(site):
    world = site.world
    draft = world.reviewed_draft()
    site.commit()
    deputy = site.client()
    sign_in(deputy, world.deputies[1])
    post(deputy, f"/drafts/{draft.id}/amendments/new", {"replace": "1,2", "wording": "1,5", "text": "Кошторис."})
    amendment = next(iter(drafts.children(site.session, draft, "amendment")))
    page = deputy.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
    assert "може виконати лише: голова головної комісії" in text_of(page)
    with nothing_changed(site):
        response = post(
            deputy, f"/amendments/{amendment.id}/opinion", {"opinion": "support", "version": str(amendment.version)}
        )
    assert response.status_code == 403
    with nothing_changed(site):
        response = post(deputy, f"/amendments/{amendment.id}/apply", {"version": str(amendment.version)})
    assert response.status_code == 403

    secretary = site.client()
    sign_in(secretary, world.secretary)
    assert "Внести поправку до тексту" not in secretary.get(f"/amendments/{amendment.id}/change").get_data(as_text=True)
    with nothing_changed(site):  # not adopted yet: the council has not voted
        response = post(secretary, f"/amendments/{amendment.id}/apply", {"version": str(amendment.version)})
    assert response.status_code == 409
    assert "до тексту вносять лише поправку, підтриману радою" in response.get_data(as_text=True)


# --- visa requests --------------------------------------------------------------------------------------------
def test_a_reviewer_sees_the_text_and_what_changed_since_the_last_round_and_gives_the_visa(site):
    world = site.world
    draft = submitted(site)
    client = site.client()
    sign_in(client, world.lawyer)
    first = text_of(client.get("/visas").get_data(as_text=True))
    assert "Перший раунд візування" in first
    assert "Виділити 1,2 млн грн на ремонт." in first

    # returned, corrected and submitted again: the second round shows what changed
    page = client.get("/visas").get_data(as_text=True)
    visa_id = re.search(r"/visas/(\d+)/return", page).group(1)
    response = post(client, f"/visas/{visa_id}/return", {"remarks": "Уточніть суму", "version": "1"})
    assert response.status_code == 302
    site.session.expire_all()
    draft = site.session.get(Document, draft.id)
    drafts.edit_draft(site.session, draft, world.actor(world.staff), body="Виділити 1,5 млн грн на ремонт.")
    drafts.submit_draft(site.session, draft, world.actor(world.staff))
    site.commit()

    page = client.get("/visas").get_data(as_text=True)
    assert "Що змінилося з минулого раунду (версія 1 → 2)" in page
    assert "[вилучено: </span>2" in page
    assert "[додано: </span>5" in page
    visa_id = re.search(r"/visas/(\d+)/give", page).group(1)
    assert post(client, f"/visas/{visa_id}/give", {"version": "1"}).status_code == 302
    site.session.expire_all()
    assert site.session.get(Document, int(visa_id)).state == "given"
    assert "Зараз від вас не чекають жодної візи." in client.get("/visas").get_data(as_text=True)


def test_returning_without_remarks_or_by_another_department_is_refused(site):
    world = site.world
    submitted(site)
    client = site.client()
    sign_in(client, world.lawyer)
    page = client.get("/visas").get_data(as_text=True)
    visa_id = re.search(r"/visas/(\d+)/return", page).group(1)
    with nothing_changed(site):
        response = post(client, f"/visas/{visa_id}/return", {"remarks": "  ", "version": "1"})
    assert response.status_code == 422
    assert "потребує коментаря" in response.get_data(as_text=True)

    staff = site.client()
    sign_in(staff, world.staff)
    assert "Зараз від вас не чекають жодної візи." in staff.get("/visas").get_data(as_text=True)
    with nothing_changed(site):
        response = post(staff, f"/visas/{visa_id}/give", {"version": "1"})
    assert response.status_code == 403
