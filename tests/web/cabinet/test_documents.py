"""The document page, through the application as a browser uses it: open to those who may read the document
and to nobody else (a stranger is told exactly what a missing document tells), its files, and the actions done
from it — and a refused action changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.web.cabinet.sitting import sitting
from tests.web.site import (
    PASSWORD,
    act,
    in_english,
    legal_visa,
    message_to_deputy,
    page_of,
    sign_in,
    stored,
    submitted,
    text_of,
    token,
)
from workflow.council.delegation.delegation import delegate_role
from workflow.council.drafts import drafts
from workflow.council.messages import messages
from workflow.council.organisation import setup
from workflow.engine import fire
from workflow.engine.models import Document
from workflow.files import store_file
from workflow.notifications.models import Notification
from workflow.people import RoleGrant


# --- the document page -----------------------------------------------------------------------------------------
def test_the_document_page_shows_the_stage_due_date_text_related_documents_and_history(site):
    world = site.world
    draft = submitted(site)
    visa = drafts.children(site.session, draft, "visa")[0]  # the fire below and the commit end this read
    fire(site.session, visa, "return", world.actor(world.lawyer), comment="Уточніть джерело коштів", now=world.at(1))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)

    page = text_of(client.get(f"/documents/{draft.id}").get_data(as_text=True))

    assert "Проєкт рішення Про ремонт даху ліцею № 2 Етап Підготовка" in page  # the returned visa sent it back
    assert f"Автор {world.staff.full_name}" in page
    assert "Зміст Текст Виділити 1,2 млн грн на ремонт." in page
    # the returned visa sent the draft back, and the finance department is asked no more
    assert (
        "Пов'язані документи Віза «Юридичний відділ» — Повернуто із зауваженнями "
        "Віза «Фінансове управління» — Скасовано"
    ) in page
    assert f"02.03.2026 11:00 — Створено: Підготовка ({world.staff.full_name})" in page
    assert f"02.03.2026 11:00 — Подати на візування: Підготовка → На візуванні ({world.staff.full_name})" in page
    assert (
        "— Повернути на доопрацювання: На візуванні → Підготовка (система) Юридичний відділ: Уточніть джерело коштів"
    ) in page


def test_a_stranger_is_asked_to_sign_in_and_comes_back_to_the_document(site):
    draft = submitted(site)
    client = site.client()

    response = client.get(f"/documents/{draft.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=%2Fdocuments%2F{draft.id}"
    back = client.post(
        response.headers["Location"],
        data={
            "email": site.world.lawyer.email,
            "password": PASSWORD,
            "csrf_token": token(client),
        },
    )
    assert back.headers["Location"] == f"/documents/{draft.id}"


def test_a_draft_open_for_public_discussion_is_read_by_anyone(site):
    draft = site.world.published_draft()
    site.commit()

    response = site.client().get(f"/documents/{draft.id}")

    assert response.status_code == 200
    assert "Громадське обговорення" in response.get_data(as_text=True)


def test_the_public_reads_a_public_draft_without_what_was_said_inside_and_the_council_reads_it_all(site):
    world = site.world
    draft = submitted(site)
    visa = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "legal")
    fire(site.session, visa, "return", world.actor(world.lawyer), comment="Уточніть джерело коштів", now=world.at(1))
    site.commit()  # the returned visa sends the draft back for revision (an effect, run in sessions of its own)
    site.session.refresh(draft)
    drafts.submit_draft(site.session, draft, world.actor(world.staff, 2), now=world.at(2))
    for again in drafts.children(site.session, draft, "visa", states=("requested",)):
        reviewer = world.lawyer if again.fields["department_kind"] == "legal" else world.accountant
        fire(site.session, again, "give", world.actor(reviewer, 2), now=world.at(2))
    fire(site.session, draft, "publish_for_discussion", world.actor(world.secretary, 2), now=world.at(2))
    site.commit()

    public = text_of(site.client().get(f"/documents/{draft.id}").get_data(as_text=True))
    insider = site.client()
    sign_in(insider, world.secretary)
    full = text_of(insider.get(f"/documents/{draft.id}").get_data(as_text=True))

    assert "Громадське обговорення" in public
    assert "Уточніть джерело коштів" not in public  # the reviewers' remarks stay inside
    assert "Пов'язані документи" not in public  # the visas are internal papers
    assert "Юридичний відділ: Уточніть джерело коштів" in full
    assert "Віза «Юридичний відділ» — Повернуто із зауваженнями" in full


def test_a_public_answer_does_not_name_the_citizen_to_the_public(site):
    world = site.world
    _citizen, message = message_to_deputy(site, read=True)
    messages.answer(
        site.session, message, world.actor(world.deputies[0], 1), "Полагодять.", public=True, now=world.at(1)
    )
    site.commit()

    public = text_of(site.client().get(f"/documents/{message.id}").get_data(as_text=True))

    assert "Полагодять." in public
    assert "Галина Остапчук" not in public
    assert "(автор звернення)" in public


def test_a_citizen_cannot_read_an_internal_draft_and_is_told_there_is_no_such_page(site):
    # a document one may not read answers like a missing one (tests/web/test_security.py): its existence is kept
    draft = submitted(site)
    citizen = setup.add_person(
        site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], password=PASSWORD
    )
    site.commit()
    client = site.client()
    sign_in(client, citizen)

    response = client.get(f"/documents/{draft.id}")

    assert response.status_code == 404
    assert "Такої сторінки немає." in response.get_data(as_text=True)
    assert draft.title not in response.get_data(as_text=True)
    response = in_english(client).get(f"/documents/{draft.id}")
    assert response.status_code == 404
    assert "There is no such page." in response.get_data(as_text=True)
    assert draft.title not in response.get_data(as_text=True)


def test_a_citizen_s_message_is_read_by_the_citizen_the_deputy_and_the_secretary_only(site):
    world = site.world
    citizen, message = message_to_deputy(site, password=PASSWORD)
    site.commit()

    readers = {}
    for person in (citizen, world.deputies[0], world.secretary, world.deputies[1], world.staff):
        client = site.client()
        sign_in(client, person)
        readers[person.full_name] = client.get(f"/documents/{message.id}").status_code

    assert readers == {
        citizen.full_name: 200,
        world.deputies[0].full_name: 200,
        world.secretary.full_name: 200,
        world.deputies[1].full_name: 404,
        world.staff.full_name: 404,
    }


def test_an_unknown_document_is_not_found(site):
    # signed in; a stranger is sent to sign in whatever the id, so that no id tells whether it exists
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.get("/documents/999999").status_code == 404


def test_a_rendered_file_is_downloaded_as_stored_and_a_damaged_one_is_not_handed_out(site):
    draft = submitted(site)
    other = submitted(site)
    stored = store_file(
        site.session,
        draft,
        "decision",
        b"PK\x03\x04 docx bytes",
        key="manual:test",
        now=site.world.at(0),
        filename="Рішення № 1.docx",
    )
    site.commit()
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = client.get(f"/documents/{draft.id}/files/{stored.id}")

    assert response.status_code == 200
    assert response.data == b"PK\x03\x04 docx bytes"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="decision-v1.docx"; '
        "filename*=UTF-8''%D0%A0%D1%96%D1%88%D0%B5%D0%BD%D0%BD%D1%8F%20%E2%84%96%201.docx"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["ETag"] == f'"{stored.sha256}"'
    # the file is as open as its document: a stranger is sent to sign in, an outsider told there is no such page
    assert site.client().get(f"/documents/{draft.id}/files/{stored.id}").status_code == 302
    citizen = setup.add_person(
        site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], password=PASSWORD
    )
    site.commit()
    outsider = site.client()
    sign_in(outsider, citizen)
    assert outsider.get(f"/documents/{draft.id}/files/{stored.id}").status_code == 404
    assert client.get(f"/documents/{other.id}/files/{stored.id}").status_code == 404
    stored.sha256 = "0" * 64
    site.commit()
    assert client.get(f"/documents/{draft.id}/files/{stored.id}").status_code == 500


# --- acting from the document page -----------------------------------------------------------------------------
def test_a_reviewer_gives_the_visa_from_its_page(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)
    page = page_of(client, visa)
    assert f'action="/documents/{visa.id}/actions/give"' in page
    assert f'action="/documents/{visa.id}/actions/return"' in page

    response = act(client, visa, "give")

    assert (response.status_code, response.headers["Location"]) == (302, f"/documents/{visa.id}")
    assert "Виконано: Завізувати." in page_of(client, visa)
    assert stored(site, visa) == ("given", 2, 2)


def test_returning_a_visa_without_the_required_remarks_is_refused_and_changes_nothing(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    response = act(client, visa, "return", comment="   ")

    assert response.status_code == 422
    assert "Не виконано." in response.get_data(as_text=True)
    assert "«Повернути із зауваженнями» потребує коментаря з поясненням причини" in response.get_data(as_text=True)
    assert stored(site, visa) == ("requested", 1, 1)
    response = act(in_english(client), visa, "return", comment="   ")
    assert response.status_code == 422
    assert "Not done." in response.get_data(as_text=True)
    assert "needs a comment saying why" in response.get_data(as_text=True)
    assert stored(site, visa) == ("requested", 1, 1)


def test_acting_on_a_page_opened_before_someone_else_acted_is_refused(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.lawyer)
    act(client, visa, "give")

    response = act(client, visa, "return", version=1, comment="Уточніть джерело коштів")

    assert response.status_code == 409
    assert "документ змінився після того, як ви його відкрили" in response.get_data(as_text=True)
    assert stored(site, visa) == ("given", 2, 2)
    response = act(in_english(client), visa, "return", version=1, comment="Уточніть джерело коштів")
    assert response.status_code == 409
    assert "the document changed after you opened it" in response.get_data(as_text=True)
    assert stored(site, visa) == ("given", 2, 2)


def test_someone_who_may_not_act_sees_why_and_a_forged_request_is_refused(site):
    visa = legal_visa(site)
    client = site.client()
    sign_in(client, site.world.staff)  # the draft's author reads the visa, but gives none

    page = page_of(client, visa)
    assert '<button type="button" disabled aria-describedby="give-why">Завізувати</button>' in page
    # who may act is named by the role's title, never by its code
    assert "«Завізувати» може виконати лише: візувальник відділу, від якого чекають візу" in page
    english = page_of(in_english(client), visa)
    assert "&#39;Give the visa&#39; can be done only by: the department&#39;s reviewer" in english
    assert "department_reviewer" not in page
    assert "department_reviewer" not in english

    assert act(client, visa, "give").status_code == 403
    assert stored(site, visa) == ("requested", 1, 1)


def test_an_action_done_at_a_workplace_of_its_own_is_no_form_here(site):
    draft = site.world.published_draft()
    site.commit()
    client = site.client()
    sign_in(client, site.world.secretary)

    page = text_of(page_of(client, draft))
    assert "Направити до комісій — виконується на окремому робочому місці" in page
    before = stored(site, draft)

    response = act(client, draft, "send_to_committees")

    assert response.status_code == 422
    assert "виконується не зі сторінки документа, а на окремому робочому місці" in response.get_data(as_text=True)
    assert stored(site, draft) == before
    response = act(in_english(client), draft, "send_to_committees")
    assert response.status_code == 422
    assert "is not done from the document page but at its own workplace" in response.get_data(as_text=True)
    assert stored(site, draft) == before


def test_a_deputy_reads_and_answers_a_citizen_publicly_and_the_citizen_is_told(site):
    world = site.world
    citizen, message = message_to_deputy(site)
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])

    assert act(client, message, "read").status_code == 302
    # the answer is typed in the form that sends it: the action is offered before the answer exists
    assert f'action="/documents/{message.id}/actions/answer_publicly"' in page_of(client, message)
    refused = act(client, message, "answer_publicly", version=1, answer="Полагодять у п'ятницю.")
    assert refused.status_code == 409
    assert "Полагодять у п&#39;ятницю.</textarea>" in refused.get_data(as_text=True), "what was typed is kept"
    assert act(client, message, "answer_publicly", version=2, answer="Полагодять у п'ятницю.").status_code == 302

    assert stored(site, message)[0] == "answered_publicly"
    anonymous = site.client().get(f"/documents/{message.id}").get_data(as_text=True)
    assert "Полагодять у п&#39;ятницю." in anonymous  # a public answer is public
    with site.app.extensions["radaflow"].sessions() as session:
        answered = session.scalars(select(Notification.person_id).where(Notification.template == "message_answered"))
        assert list(answered) == [citizen.id]


def test_what_only_the_system_does_is_no_one_s_button(site):
    world = site.world
    delegation = delegate_role(
        site.session,
        world.actor(world.lawyer),
        world.staff,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(1),
        ends_at=world.at(10),
        reason="відпустка юриста",
        now=world.at(0),
    )
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    page = page_of(client, delegation)

    assert f'action="/documents/{delegation.id}/actions/revoke"' in page  # its author may revoke it
    assert "/actions/expire" not in page  # it expires by itself: the sweep's move, nobody's button
    # named only where the page tells the kind's whole machine: its diagram, and the history below it
    assert "Закінчення строку" not in page.split('<section class="state-diagram"')[0]


# --- refusals of an action change nothing ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("case", "status", "says", "lang"),
    [
        ("no csrf token", 400, "Форму не прийнято", "uk"),
        ("no version", 409, "the document changed after you opened it", "en"),
        ("no version", 409, "документ змінився після того, як ви його відкрили", "uk"),
        ("not possible in this state", 409, "&#39;submit&#39; is not possible while", "en"),
        ("not possible in this state", 409, "«submit» неможливо, поки документ на етапі «На візуванні»", "uk"),
        ("a rule does not hold", 409, "is not possible now", "en"),
        ("a rule does not hold", 409, "«Оприлюднити для обговорення» зараз неможливо", "uk"),
        ("unknown action", 409, "has no action &#39;sing&#39;", "en"),
        ("unknown action", 409, "немає дії «sing»", "uk"),
    ],
)
def test_a_refused_action_says_why_and_changes_nothing(site, case, status, says, lang):
    world = site.world
    draft = submitted(site)
    visas_before = [v.state for v in drafts.children(site.session, draft, "visa")]
    site.commit()
    client = site.client()
    sign_in(client, world.secretary if case == "a rule does not hold" else world.staff)
    before = stored(site, draft)
    data = {"csrf_token": token(client), "version": str(draft.version)}
    trigger = {
        "not possible in this state": "publish_for_discussion",
        "a rule does not hold": "publish_for_discussion",
        "unknown action": "sing",
    }.get(case, "withdraw")
    if case == "no csrf token":
        del data["csrf_token"]
    if case == "no version":
        del data["version"]
    if case == "not possible in this state":
        trigger = "submit"  # the draft awaits its visas: it was submitted already
    data["comment"] = "Причина"

    response = client.post(f"/documents/{draft.id}/actions/{trigger}?lang={lang}", data=data)

    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert stored(site, draft) == before
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert [v.state for v in drafts.children(session, found, "visa")] == visas_before


def test_acting_signed_out_asks_to_sign_in_and_an_outsider_is_refused_as_if_there_were_no_document(site):
    draft = submitted(site)
    citizen = setup.add_person(
        site.session, "Галина Остапчук", email="halyna@example.org", roles=["citizen"], password=PASSWORD
    )
    site.commit()
    before = stored(site, draft)
    stranger = site.client()
    response = stranger.post(
        f"/documents/{draft.id}/actions/withdraw", data={"csrf_token": token(stranger), "version": "2", "comment": "x"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")

    outsider = site.client()
    sign_in(outsider, citizen)
    response = act(outsider, draft, "withdraw", comment="x")

    assert response.status_code == 404
    assert stored(site, draft) == before


def test_an_empty_answer_is_refused_and_nothing_is_written(site):
    world = site.world
    _citizen, message = message_to_deputy(site, read=True)
    site.commit()
    client = site.client()
    sign_in(client, world.deputies[0])
    before = stored(site, message)

    response = act(client, message, "answer_privately", answer="   ")

    assert response.status_code == 422
    assert "відповідь порожня: спершу напишіть її" in response.get_data(as_text=True)
    assert stored(site, message) == before
    response = act(in_english(client), message, "answer_privately", answer="   ")
    assert response.status_code == 422
    assert "the answer is empty: write it first" in response.get_data(as_text=True)
    assert stored(site, message) == before


# --- actions that take more than one move, from the page ----------------------------------------------------------
def test_the_author_submits_a_draft_and_the_departments_are_asked(site):
    world = site.world
    draft = drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    client = site.client()
    sign_in(client, world.staff)
    assert 'id="submit-comment"' not in page_of(client, draft), "no comment box where none would be kept"

    assert act(client, draft, "submit").status_code == 302

    assert stored(site, draft)[0] == "visas"
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert sorted(v.state for v in drafts.children(session, found, "visa")) == ["requested", "requested"]


@pytest.mark.parametrize(("who", "trigger"), [("staff", "withdraw"), ("secretary", "return_for_revision")])
def test_a_draft_withdrawn_or_returned_from_the_page_asks_the_departments_no_more(site, who, trigger):
    draft = submitted(site)
    client = site.client()
    sign_in(client, getattr(site.world, who))

    assert act(client, draft, trigger, comment="Питання вирішено інакше").status_code == 302

    assert stored(site, draft)[0] == {"withdraw": "withdrawn", "return_for_revision": "drafting"}[trigger]
    with site.app.extensions["radaflow"].sessions() as session:
        found = session.get(Document, draft.id)
        assert found is not None
        assert [v.state for v in drafts.children(session, found, "visa")] == ["cancelled", "cancelled"]


def test_revoking_a_delegation_from_its_page_ends_the_grant(site):
    world = site.world
    delegation = delegate_role(
        site.session,
        world.actor(world.lawyer),
        world.staff,
        "reviewer",
        scope_id=world.legal.id,
        starts_at=world.at(-1),
        ends_at=world.at(1000),
        reason="відпустка юриста",
        now=world.at(-1),
    )
    site.commit()
    client = site.client()
    sign_in(client, world.lawyer)

    assert act(client, delegation, "revoke", comment="Юрист повернувся").status_code == 302

    assert stored(site, delegation)[0] == "revoked"
    with site.app.extensions["radaflow"].sessions() as session:
        grant = session.scalars(select(RoleGrant).where(RoleGrant.delegation_id == delegation.id)).one()
        assert grant.ends_at is not None


def test_what_the_sitting_decides_links_from_each_document_to_its_console(site):
    plenary, item = sitting(site)
    client = site.client()
    sign_in(client, site.world.secretary)

    session_page = page_of(client, plenary)
    item_page = page_of(client, item)

    at_the_console = f'href="/cabinet/sessions/{plenary.id}/sitting"'
    assert at_the_console in session_page  # closing the sitting
    assert at_the_console in item_page  # considering the item
    assert "виконується на окремому робочому місці" in text_of(item_page)
