"""Committees and departments on the administrator's pages: listed, created, renamed in both languages and
retired (never deleted), with who sits in each; each refusal says why and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.admin.admin_site import admin_client, nothing_changes, post, signed_in_client
from tests.web.site import in_english, submitted, text_of
from workflow.council.drafts import drafts
from workflow.council.organisation.models import Committee, Department
from workflow.people import RoleGrant


def _stored(site, model, ident):
    with site.app.extensions["radaflow"].sessions() as session:
        return session.get(model, ident)


def test_the_list_shows_the_committees_and_departments_and_a_new_committee_is_created(site):
    client = admin_client(site)
    listing = text_of(client.get("/admin/committees").get_data(as_text=True))
    assert "З питань бюджету — діє" in listing
    assert "Юридичний відділ — юридичний діє" in listing

    response = post(
        client, "/admin/committees", **{"committee-name": " З питань  екології ", "committee-name_en": "Ecology"}
    )

    assert response.status_code == 302
    created = site.session.scalar(select(Committee).where(Committee.name == "З питань екології"))
    assert (created.name_en, created.retired_at) == ("Ecology", None)
    assert response.headers["Location"] == f"/admin/committees/{created.id}"
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Комісію «З питань екології» створено" in page
    assert "Зараз тут ніхто не має ролі." in page


def test_a_department_is_created_with_what_it_reviews(site):
    client = admin_client(site)

    response = post(
        client,
        "/admin/departments",
        **{"department-name": "Відділ архітектури", "department-name_en": "Architecture", "department-kind": "other"},
    )

    assert response.status_code == 302
    created = site.session.scalar(select(Department).where(Department.name == "Відділ архітектури"))
    assert (created.kind, created.name_en) == ("other", "Architecture")


@pytest.mark.parametrize(
    ("url", "form", "says"),
    [
        ("/admin/committees", {"committee-name": "  "}, "назву українською"),
        ("/admin/committees", {"committee-name": "з питань БЮДЖЕТУ"}, "«з питань БЮДЖЕТУ» — уже назва іншої"),
        ("/admin/committees", {"committee-name": "К" * 301}, "не довша за 300 символів"),
        (
            "/admin/departments",
            {"department-name": "Відділ", "department-kind": "secret"},
            "Виберіть, що перевіряє відділ.",
        ),
    ],
)
def test_a_bad_new_one_is_refused_and_nothing_is_stored(site, url, form, says):
    client = admin_client(site)

    with nothing_changes(site):
        response = post(client, url, **form)

    assert response.status_code == 422
    assert says in text_of(response.get_data(as_text=True))


def test_a_committee_shows_its_chair_and_members_and_is_renamed(site):
    world = site.world
    client = admin_client(site)
    url = f"/admin/committees/{world.budget.id}"

    page = text_of(client.get(url).get_data(as_text=True))
    assert "Василь Гончаренко голова постійної комісії" in page
    assert "Ганна Кравець секретар постійної комісії" in page
    assert "Олег Руденко член постійної комісії" in page

    response = post(client, url, name="З питань бюджету і фінансів", name_en="Budget and Finance")

    assert response.status_code == 302
    renamed = _stored(site, Committee, world.budget.id)
    assert (renamed.name, renamed.name_en) == ("З питань бюджету і фінансів", "Budget and Finance")


def test_a_committee_with_work_under_way_is_not_retired(site):
    world = site.world
    draft = world.published_draft()
    drafts.send_to_committees(site.session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1))
    site.commit()
    client = admin_client(site)

    with nothing_changes(site):
        response = post(in_english(client), f"/admin/committees/{world.budget.id}/retire")

    assert response.status_code == 409
    assert "the committee still has work under way (1 conclusion(s) being prepared, 0 meeting(s) not closed)" in (
        text_of(response.get_data(as_text=True))
    )


def test_a_retired_committee_is_kept_its_grants_end_and_it_is_offered_for_no_new_draft(site):
    world = site.world
    client = admin_client(site)

    response = post(client, f"/admin/committees/{world.education.id}/retire")

    assert response.status_code == 302
    retired = _stored(site, Committee, world.education.id)
    assert retired is not None
    assert retired.retired_at is not None
    with site.app.extensions["radaflow"].sessions() as session:
        grants = session.scalars(
            select(RoleGrant).where(RoleGrant.scope_id == world.education.id, RoleGrant.role.like("committee_%"))
        ).all()
    assert grants
    assert all(grant.ends_at is not None for grant in grants)
    page = text_of(client.get(f"/admin/committees/{world.education.id}").get_data(as_text=True))
    assert "Розформовано" in page
    assert "Перейменувати" not in page
    public = text_of(site.client().get("/committees").get_data(as_text=True))
    assert "З питань бюджету" in public
    assert "З питань освіти" not in public
    staff = signed_in_client(site, world.staff)
    form = staff.get("/drafts/new").get_data(as_text=True)
    assert "З питань бюджету" in form
    assert "З питань освіти" not in form

    with nothing_changes(site):
        again = post(client, f"/admin/committees/{world.education.id}/retire")
        rename = post(client, f"/admin/committees/{world.education.id}", name="Нова назва", name_en="")
    assert again.status_code == rename.status_code == 409


def test_the_last_legal_department_is_not_retired_but_one_of_two_is(site):
    world = site.world
    client = admin_client(site)

    with nothing_changes(site):
        refused = post(client, f"/admin/departments/{world.legal.id}/retire")
    assert refused.status_code == 409
    assert "це останній такий" in text_of(refused.get_data(as_text=True))

    post(client, "/admin/departments", **{"department-name": "Юридичне управління", "department-kind": "legal"})
    assert post(client, f"/admin/departments/{world.legal.id}/retire").status_code == 302
    # a draft submitted now asks the serving legal department only
    draft = submitted(site)
    asked = [visa.title for visa in drafts.children(site.session, draft, "visa")]
    assert sorted(asked) == ["Фінансове управління", "Юридичне управління"]


def test_ids_of_no_committee_or_department_are_plain_404(site):
    client = admin_client(site)
    for url in (
        "/admin/committees/999999",
        "/admin/departments/999999",
        "/admin/committees/0",
        "/admin/committees/99999999999",
    ):
        assert client.get(url).status_code == 404
    with nothing_changes(site):
        assert post(client, "/admin/committees/999999/retire").status_code == 404
        assert post(client, "/admin/departments/2147483648/retire").status_code == 404


def test_a_department_shows_its_reviewers_and_is_renamed_in_both_languages(site):
    world = site.world
    client = admin_client(site)
    url = f"/admin/departments/{world.legal.id}"

    page = text_of(client.get(url).get_data(as_text=True))
    assert "Відділ: юридичний." in page
    assert "Ірина Ткаченко візувальник відділу" in page

    response = post(client, url, name="Юридичне управління", name_en="Legal Department")

    assert response.status_code == 302
    renamed = _stored(site, Department, world.legal.id)
    assert (renamed.name, renamed.name_en) == ("Юридичне управління", "Legal Department")
    assert "Відділ перейменовано." in text_of(client.get(url).get_data(as_text=True))
    english = text_of(in_english(client).get(url).get_data(as_text=True))
    assert "Department: legal." in english


def test_with_the_people_s_pages_there_each_member_links_to_their_own(site):
    """The people's pages are a feature of their own (`web.admin.people`): a member links to theirs."""
    chair = site.world.deputies[0]
    client = admin_client(site)

    page = client.get(f"/admin/committees/{site.world.budget.id}").get_data(as_text=True)

    assert f'<a href="/admin/people/{chair.id}">Василь Гончаренко</a>' in page
    assert 'href="/admin/people"' in client.get("/admin").get_data(as_text=True)
