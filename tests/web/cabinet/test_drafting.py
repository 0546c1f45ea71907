"""Writing and editing a draft in the cabinet, its versions and what changed between them, and the warning that
an edit voids the visas given: through the application as a browser uses it, every refusal changing nothing."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.cabinet.drafting_site import nothing_changed, post
from tests.web.site import in_english, page_of, sign_in, submitted, text_of
from workflow.council.drafts import drafts, versions
from workflow.council.drafts.models import DraftVersion
from workflow.engine import fire
from workflow.engine.models import Document


def _draft_form(site, **changes):
    world = site.world
    return {
        "title": "Про облаштування скверу",
        "body": "Облаштувати сквер на вулиці Шевченка.\nФінансувати з міського бюджету.",
        "initiator": "Міський голова",
        "majority": "majority",
        "lead_committee": str(world.budget.id),
        "advisory_committees": [str(world.education.id)],
        **changes,
    }


def test_a_staff_member_writes_a_draft_with_its_initiator_committees_and_majority(site):
    client = site.client()
    sign_in(client, site.world.staff)
    assert "Написати проєкт рішення" in client.get("/cabinet").get_data(as_text=True)
    page = client.get("/drafts/new").get_data(as_text=True)
    assert '<label for="title">Назва</label>' in page

    response = post(client, "/drafts/new", _draft_form(site, majority="two_thirds"))

    assert response.status_code == 302
    draft = site.session.scalars(select(Document).where(Document.title == "Про облаштування скверу")).one()
    assert draft.state == "drafting"
    assert draft.author_id == site.world.staff.id
    proposed = versions.particulars_of(site.session, draft)
    assert proposed.initiator == "Міський голова"
    assert proposed.majority == "two_thirds"
    assert proposed.lead_committee_id == site.world.budget.id
    assert proposed.advisory_committee_ids == (site.world.education.id,)
    shown = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Проєкт рішення написано" in shown
    assert "Ініціатор Міський голова" in shown
    assert f"Головна комісія (пропозиція) {site.world.budget.name}" in shown
    assert "Якою більшістю ухвалюється дві третини від загального складу ради" in shown
    assert "Редагувати проєкт" in shown
    assert "Версії тексту" in shown
    assert "Долучити файли" in shown


def test_a_draft_without_a_title_is_refused_with_the_form_again_and_nothing_written(site):
    client = site.client()
    sign_in(client, site.world.staff)

    with nothing_changed(site):
        response = post(client, "/drafts/new", _draft_form(site, title="   "))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Дайте проєкту назву." in page
    assert "Облаштувати сквер на вулиці Шевченка." in page  # what was typed is kept

    with nothing_changed(site):
        response = post(in_english(client), "/drafts/new", _draft_form(site, title=""))
    assert response.status_code == 422
    assert "Give the draft a title." in response.get_data(as_text=True)


def test_a_lead_committee_named_also_as_advisory_is_refused(site):
    client = site.client()
    sign_in(client, site.world.staff)
    with nothing_changed(site):
        response = post(client, "/drafts/new", _draft_form(site, advisory_committees=[str(site.world.budget.id)]))
    assert response.status_code == 422
    assert "головна комісія не може бути водночас дорадчою" in response.get_data(as_text=True)


def test_someone_who_writes_no_drafts_is_told_who_does(site):
    client = site.client()
    sign_in(client, site.world.lawyer)
    assert "Написати проєкт рішення" not in client.get("/cabinet").get_data(as_text=True)

    response = client.get("/drafts/new")
    assert response.status_code == 403
    page = text_of(response.get_data(as_text=True))
    assert "працівник виконавчого органу" in page
    assert "секретар ради" in page
    assert "staff" not in page
    with nothing_changed(site):
        assert post(client, "/drafts/new", _draft_form(site)).status_code == 403


def test_the_author_edits_the_draft_and_its_versions_show_what_changed(site):
    world = site.world
    draft = drafts.write_draft(
        site.session, world.actor(world.staff), "Про сквер", "Облаштувати сквер.\nДруге речення.", now=world.at(0)
    )
    site.commit()
    client = site.client()
    sign_in(client, world.staff)
    form = client.get(f"/drafts/{draft.id}/edit").get_data(as_text=True)
    assert "Облаштувати сквер." in form
    assert "Анулювання віз" not in form

    response = post(
        client,
        f"/drafts/{draft.id}/edit",
        _draft_form(site, title="Про сквер", body="Облаштувати новий сквер.\nДруге речення.", version="1"),
    )

    assert response.status_code == 302
    site.session.expire_all()
    assert [v.number for v in versions.versions(site.session, draft)] == [1, 2]
    page = client.get(f"/drafts/{draft.id}/versions").get_data(as_text=True)
    assert (
        '<ins><span class="visually-hidden">[додано: </span> новий<span class="visually-hidden">]</span></ins>' in page
    )
    assert "Додано слів: 1; вилучено слів: 0." in text_of(page)
    assert "<del>" not in page
    older = client.get(f"/drafts/{draft.id}/versions?from=2&to=1").get_data(as_text=True)
    assert '<del><span class="visually-hidden">[вилучено: </span> новий<span' in older
    assert client.get(f"/drafts/{draft.id}/versions?from=1&to=9").status_code == 404


def test_an_edit_after_visas_warns_before_saving_and_says_after_that_they_no_longer_stand(site):
    world = site.world
    draft = submitted(site)
    by_kind = {v.fields["department_kind"]: v for v in drafts.children(site.session, draft, "visa")}
    finance = by_kind["finance"]
    fire(site.session, finance, "give", world.actor(world.accountant), now=world.at(1))
    drafts.return_for_revision(site.session, draft, world.actor(world.secretary), "Уточніть суму", now=world.at(1))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)

    form = client.get(f"/drafts/{draft.id}/edit").get_data(as_text=True)
    assert "Візи буде анульовано." in form
    assert "Надано 1 візу до тексту в чинній редакції" in text_of(form)

    response = post(
        client,
        f"/drafts/{draft.id}/edit",
        _draft_form(site, title=draft.title, body="Виділити 1,5 млн грн на ремонт.", version=str(draft.version)),
        follow_redirects=True,
    )
    assert "Збережено. Віза, надана до попереднього тексту, втратила силу" in response.get_data(as_text=True)
    site.session.expire_all()
    assert site.session.get(Document, finance.id).state == "invalidated"


def test_editing_in_a_stage_that_allows_none_or_by_someone_else_is_refused_and_changes_nothing(site):
    world = site.world
    draft = submitted(site)  # awaiting visas: nobody edits it
    client = site.client()
    sign_in(client, world.staff)
    response = client.get(f"/drafts/{draft.id}/edit")
    assert response.status_code == 403
    assert "документ на етапі «На візуванні» не редагується" in response.get_data(as_text=True)
    with nothing_changed(site):
        response = post(
            client, f"/drafts/{draft.id}/edit", _draft_form(site, body="Інший текст", version=str(draft.version))
        )
    assert response.status_code == 403

    own = drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    other = site.client()
    sign_in(other, world.secretary)
    assert other.get(f"/drafts/{own.id}/edit").status_code == 403
    assert "автор документа" in other.get(f"/drafts/{own.id}/edit").get_data(as_text=True)
    with nothing_changed(site):
        assert post(other, f"/drafts/{own.id}/edit", _draft_form(site, version="1")).status_code == 403


def test_an_edit_from_a_page_opened_before_another_change_is_refused(site):
    world = site.world
    draft = drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)
    post(client, f"/drafts/{draft.id}/edit", _draft_form(site, title="Про сквер", body="Текст 2.", version="1"))

    with nothing_changed(site):
        response = post(client, f"/drafts/{draft.id}/edit", _draft_form(site, body="Текст 3.", version="1"))
    assert response.status_code == 409
    assert "документ змінився після того, як ви його відкрили" in response.get_data(as_text=True)


def test_a_draft_kept_before_versions_were_kept_shows_its_text_as_its_only_version(site):
    world = site.world
    draft = site.world.published_draft()
    site.session.execute(DraftVersion.__table__.select())  # the draft has its first version
    site.commit()
    client = site.client()
    sign_in(client, world.staff)
    page = text_of(client.get(f"/drafts/{draft.id}/versions").get_data(as_text=True))
    assert "Немає відмінностей." in page
    assert client.get("/drafts/99999/versions").status_code == 404
    assert page_of(client, draft)


def test_a_change_of_the_particulars_alone_is_in_the_draft_s_history(site):
    client = site.client()
    sign_in(client, site.world.staff)
    post(client, "/drafts/new", _draft_form(site))
    draft = site.session.scalars(select(Document).where(Document.kind == "decision_draft")).all()[-1]

    response = post(
        client,
        f"/drafts/{draft.id}/edit",
        _draft_form(site, initiator="Виконавчий комітет", majority="two_thirds", version=str(draft.version)),
        follow_redirects=True,
    )

    history = text_of(response.get_data(as_text=True)).split("Історія")[-1]
    assert "Змінено відомості про проєкт (ініціатора, комісії чи потрібну більшість)" in history
    assert "Змінено зміст" not in history  # the text stayed as it was
    english = text_of(in_english(client).get(f"/documents/{draft.id}").get_data(as_text=True))
    assert "Particulars changed (the initiator, the committees or the majority)" in english.split("History")[-1]
