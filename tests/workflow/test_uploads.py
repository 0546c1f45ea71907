"""What an uploaded file is, told by its content: the accepted kinds pass (their office archives inspected, never
extracted), everything else is refused saying what is wrong."""

from __future__ import annotations

import io
import zipfile

import pytest

from workflow.errors import InvalidInput
from workflow.uploads import DOCX, JPEG, ODT, PDF, PNG, XLSX, check_upload, clean_filename


def zipped(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members:
            archive.writestr(name, content, compress_type=zipfile.ZIP_STORED if name == "mimetype" else method)
    return buffer.getvalue()


ODT_FILE = zipped([("mimetype", ODT.media_type.encode()), ("content.xml", b"<office:document-content/>")])
XLSX_FILE = zipped([("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")])
DOCX_FILE = zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("кошторис.pdf", b"%PDF-1.7\n...\n%%EOF", PDF),
        ("рішення.docx", DOCX_FILE, DOCX),
        ("таблиця.xlsx", XLSX_FILE, XLSX),
        ("текст.odt", ODT_FILE, ODT),
        ("схема.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, PNG),
        ("фото.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 16, JPEG),
        ("фото.jpeg", b"\xff\xd8\xff\xe1" + b"\x00" * 16, JPEG),
    ],
)
def test_the_accepted_kinds_are_told_by_their_content(name, content, kind):
    assert check_upload(name, content).kind == kind


def test_a_file_without_an_ending_gets_its_kinds(capsys):
    assert check_upload("кошторис", b"%PDF-1.7\n%%EOF").filename == "кошторис.pdf"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60, "is a program, not a document"),
        ("run.docx", b"\x7fELF\x02\x01", "is a program, not a document"),
        ("a.docx", b"PK\x03\x04 broken", "is damaged"),
        ("a.docx", zipped([("word/document.xml", b"<w/>")]), "is a ZIP archive, but not a DOCX, ODT or XLSX"),
        ("a.odt", zipped([("mimetype", b"application/zip"), ("content.xml", b"<x/>")]), "is a ZIP archive"),
        ("a.pdf", b"%PDF-1.4 and no end", "is an incomplete PDF file"),
        ("a.xlsx", DOCX_FILE, "is named as a .xlsx file, but its content is DOCX"),
        ("a.html", b"<html></html>", "is not one of the accepted kinds"),
    ],
)
def test_what_is_not_accepted_is_refused_saying_what_is_wrong(name, content, says):
    with pytest.raises(InvalidInput, match=says):
        check_upload(name, content)


def test_a_zip_bomb_is_refused_by_what_it_declares_without_unpacking_it():
    bomb = zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"\x00" * (20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput, match="refused as a possible zip bomb"):
        check_upload("рішення.docx", bomb)


def test_a_file_over_the_limit_is_refused_before_its_kind_is_looked_at():
    with pytest.raises(InvalidInput, match=r"has 0.0 MB; at most 0.0 MB are accepted"):
        check_upload("a.pdf", b"%PDF-1.4\n%%EOF", limit=4)


def test_a_file_name_keeps_no_folder_nor_control_characters():
    assert clean_filename("C:\\Users\\x\\..\\звіт.pdf") == "звіт.pdf"
    assert clean_filename("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert clean_filename("") == "file"
    assert len(clean_filename("д" * 400 + ".pdf")) == 150
