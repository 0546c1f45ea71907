"""Files attached to a draft: uploaded, replaced by a new version that keeps the old, downloaded as stored with
their SHA-256 — and a renamed program, a zip bomb posing as DOCX, a file over the limit or of a wrong kind is
refused saying what is wrong, with nothing stored."""

from __future__ import annotations

import hashlib

import pytest

from tests.web.cabinet.drafting_site import DOCX, EXE, PDF, PNG, nothing_changed, upload, zip_bomb, zipped
from tests.web.site import in_english, sign_in, submitted, text_of, token
from workflow import limits
from workflow.council.drafts import drafts
from workflow.council.drafts.attachments import attachments
from workflow.engine import fire
from workflow.engine.models import Document


@pytest.fixture
def draft(site):
    world = site.world
    written = drafts.write_draft(site.session, world.actor(world.staff), "Про сквер", "Текст.", now=world.at(0))
    site.commit()
    return written


@pytest.fixture
def author(site):
    client = site.client()
    sign_in(client, site.world.staff)
    return client


def test_the_author_attaches_a_pdf_and_an_image_and_downloads_them_as_stored(site, draft, author):
    response = upload(author, draft.id, "кошторис.pdf", PDF)
    assert response.status_code == 302
    assert upload(author, draft.id, "схема.png", PNG).status_code == 302

    (pdf,), (png,) = attachments(site.session, draft)
    assert (pdf.filename, pdf.media_type, pdf.sha256) == (
        "кошторис.pdf",
        "application/pdf",
        hashlib.sha256(PDF).hexdigest(),
    )
    assert png.media_type == "image/png"
    page = author.get(f"/drafts/{draft.id}/files").get_data(as_text=True)
    assert hashlib.sha256(PDF).hexdigest() in page
    downloaded = author.get(f"/documents/{draft.id}/files/{pdf.id}")
    assert downloaded.status_code == 200
    assert downloaded.data == PDF
    assert downloaded.mimetype == "application/pdf"


def test_a_replaced_file_is_a_new_version_and_the_old_one_is_kept(site, draft, author):
    upload(author, draft.id, "рішення.docx", DOCX)
    newer = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>2</w:document>"})

    response = upload(author, draft.id, "рішення-2.docx", newer, replaces="attachment-1")

    assert response.status_code == 302
    ((first, second),) = attachments(site.session, draft)
    assert (first.version, first.content) == (1, DOCX)
    assert (second.version, second.content, second.filename) == (2, newer, "рішення-2.docx")
    page = text_of(author.get(f"/drafts/{draft.id}/files").get_data(as_text=True))
    assert "рішення-2.docx 2" in page
    assert "рішення.docx (замінено) 1" in page


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("кошторис.pdf", EXE, "«кошторис.pdf» — програма, а не документ"),
        ("setup.docx", EXE, "«setup.docx» — програма, а не документ"),
        ("рішення.docx", None, "відхилено як можливу zip-бомбу"),
        ("архів.docx", zipped({"readme.txt": b"hello"}), "ZIP-архів, але не документ DOCX, ODT чи XLSX"),
        ("кошторис.docx", PDF, "«кошторис.docx» названо як файл .docx, але його вміст — PDF"),
        ("нотатки.txt", b"just some text", "не належить до прийнятних видів"),
        ("порожній.pdf", b"", "«порожній.pdf» порожній"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_refused_and_nothing_is_stored(
    site, draft, author, name, content, says
):
    with nothing_changed(site):
        response = upload(author, draft.id, name, zip_bomb() if content is None else content)
    assert response.status_code == 422
    assert says in response.get_data(as_text=True)
    assert attachments(site.session, draft) == []


def test_a_file_over_the_limit_is_refused_saying_the_limit(site, draft, author):
    big = PDF[:-6] + b"\x00" * (limits.ATTACHMENT_BYTES - len(PDF) + 1) + b"%%EOF\n"
    with nothing_changed(site):
        response = upload(author, draft.id, "великий.pdf", big)
    assert response.status_code == 422
    assert "приймається щонайбільше 20.0 МБ" in response.get_data(as_text=True)
    with nothing_changed(site):
        response = upload(in_english(author), draft.id, "big.pdf", big)
    assert "at most 20.0 MB are accepted" in response.get_data(as_text=True)


def test_a_post_without_a_file_or_replacing_no_such_file_is_refused(site, draft, author):
    with nothing_changed(site):
        response = author.post(
            f"/drafts/{draft.id}/files",
            data={"csrf_token": token(author)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert "оберіть файл, який треба долучити" in response.get_data(as_text=True)
        response = upload(author, draft.id, "a.pdf", PDF, replaces="attachment-7")
        assert response.status_code == 422
        assert "до проєкту не долучено такого файлу" in response.get_data(as_text=True)


def test_nobody_but_who_may_change_the_draft_attaches_and_not_in_a_stage_that_allows_no_change(site, draft):
    other = site.client()
    sign_in(other, site.world.secretary)
    page = other.get(f"/drafts/{draft.id}/files").get_data(as_text=True)
    assert "Долучити файл" not in page
    with nothing_changed(site):
        response = upload(other, draft.id, "a.pdf", PDF)
    assert response.status_code == 403
    assert "файли до проєкту на етапі «Підготовка» долучає: автор документа" in response.get_data(as_text=True)

    sent = submitted(site)
    author = site.client()
    sign_in(author, site.world.staff)
    with nothing_changed(site):
        response = upload(author, sent.id, "a.pdf", PDF)
    assert response.status_code == 403
    assert "проєкт на етапі «На візуванні» не можна змінювати, як і його файли" in response.get_data(as_text=True)


# --- a file attached after visas voids them, as an edit of the text does ------------------------------------------
@pytest.fixture
def returned_with_a_visa(site):
    """A submitted draft whose finance visa was given before the secretary returned it: back in drafting."""
    world = site.world
    draft = submitted(site)
    finance = next(v for v in drafts.children(site.session, draft, "visa") if v.fields["department_kind"] == "finance")
    fire(site.session, finance, "give", world.actor(world.accountant), now=world.at(1))
    drafts.return_for_revision(site.session, draft, world.actor(world.secretary), "Додайте кошторис", now=world.at(1))
    site.commit()
    return draft, finance


def visa_state(site, visa) -> str:
    site.session.expire_all()
    found = site.session.get(Document, visa.id)
    assert found is not None
    return found.state


def test_a_file_attached_after_visas_is_warned_of_before_and_voids_them_after(site, returned_with_a_visa, author):
    draft, finance = returned_with_a_visa

    page = author.get(f"/drafts/{draft.id}/files").get_data(as_text=True)
    assert "Візи буде анульовано." in page
    assert "Надано 1 візу до проєкту в чинній редакції. Якщо долучити файл чи замінити його, вона втратить силу" in (
        text_of(page)
    )

    done = upload(author, draft.id, "кошторис.pdf", PDF)
    after = author.get(done.headers["Location"]).get_data(as_text=True)
    assert "Долучено: кошторис.pdf (версія 1). Віза, надана до проєкту раніше, втратила силу" in text_of(after)
    assert visa_state(site, finance) == "invalidated"
    assert "Візи буде анульовано." not in after  # none given any more: nothing to warn of


def test_a_file_replaced_after_visas_voids_them_too_in_english(site, author):
    world = site.world
    draft = submitted(site)
    # a file attached while drafting, then both visas given and the draft sent back after all
    drafts.return_for_revision(site.session, draft, world.actor(world.secretary), "Ще раз", now=world.at(1))
    site.commit()
    assert upload(author, draft.id, "кошторис.pdf", PDF).status_code == 302
    drafts.submit_draft(site.session, draft, world.actor(world.staff), now=world.at(2))
    for visa in drafts.children(site.session, draft, "visa", states=("requested",)):
        reviewer = world.lawyer if visa.fields["department_kind"] == "legal" else world.accountant
        fire(site.session, visa, "give", world.actor(reviewer, 2), now=world.at(2))
    drafts.return_for_revision(site.session, draft, world.actor(world.secretary), "Уточніть", now=world.at(3))
    site.commit()
    given = drafts.children(site.session, draft, "visa", states=("given",))
    assert len(given) == 2
    client = in_english(author)

    page = text_of(client.get(f"/drafts/{draft.id}/files").get_data(as_text=True))
    assert "2 visas were given to the draft as it stands. Attaching a file or replacing one voids them" in page
    done = upload(client, draft.id, "кошторис-2.pdf", PDF, replaces="attachment-1")
    after = text_of(client.get(done.headers["Location"]).get_data(as_text=True))

    assert "Attached: кошторис-2.pdf (version 2). The 2 visas given to the draft before no longer stand" in after
    assert {visa_state(site, visa) for visa in given} == {"invalidated"}


@pytest.mark.parametrize(
    ("name", "content", "replaces"),
    [("setup.pdf", EXE, ""), ("кошторис.pdf", PDF, "attachment-7")],
    ids=["a renamed program", "replacing no such file"],
)
def test_a_refused_file_voids_no_visa_and_changes_nothing(site, returned_with_a_visa, author, name, content, replaces):
    draft, finance = returned_with_a_visa

    with nothing_changed(site):
        response = upload(author, draft.id, name, content, replaces=replaces)

    assert response.status_code == 422
    assert visa_state(site, finance) == "given"
    assert "Візи буде анульовано." in response.get_data(as_text=True)  # still warned of: they still stand
