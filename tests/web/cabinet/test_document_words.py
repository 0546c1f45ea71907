"""The document page says what a document holds and who may act in words, never by the system's own names: a
refusal names roles by their titles (and leaves out the system where a person may act), and content fields are
shown by their titles with their values' titles."""

from __future__ import annotations

from tests.web.site import in_english, legal_visa, page_of, sign_in, text_of
from workflow.council.drafts import drafts
from workflow.engine import edit_document


def test_a_visa_shows_its_department_kind_by_title(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    page = text_of(page_of(client, visa))
    assert "Вид підрозділу юридичний підрозділ" in page
    assert "department_kind" not in page
    assert "legal" not in page
    assert "Kind of department legal department" in text_of(page_of(in_english(client), visa))


def test_a_conclusion_shows_its_recommendation_and_part_by_title(site):
    world = site.world
    draft = world.published_draft()
    (conclusion,) = drafts.send_to_committees(
        site.session, draft, world.actor(world.secretary, 1), world.budget, now=world.at(1)
    )
    edit_document(
        site.session,
        conclusion,
        world.actor(world.deputies[0], 1),
        fields={"recommendation": "support", "body": "Підтримати."},
        now=world.at(1),
    )
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])

    page = text_of(page_of(client, conclusion))
    assert "Рекомендація підтримати проєкт рішення" in page
    assert "Роль комісії головна комісія" in page
    assert "recommendation" not in page
    assert "support" not in page
    assert "True" not in page


def test_who_may_act_is_named_by_title_and_the_system_is_left_out_where_a_person_may_act(site):
    world = site.world
    draft = world.published_draft()
    site.commit()
    client = site.client()
    sign_in(client, world.staff)  # the author may not send the draft to committees, nor return it

    page = text_of(page_of(client, draft))
    assert "«Повернути на доопрацювання» може виконати лише: секретар ради" in page
    assert "system" not in page
    assert "secretary" not in page
    english = text_of(page_of(in_english(client), draft))
    assert "can be done only by: council secretary" in english
    assert ", system" not in english
