"""What an uploaded file really is, told by its content, never by its name: PDF, the office formats (DOCX, ODT,
XLSX: ZIP archives whose members are inspected without extracting them, so a zip bomb is refused by what it
declares it would unpack to) and PNG or JPEG images. Everything else is refused saying what is wrong.

The standard library does this: `zipfile` reads an archive's central directory (its members, their sizes) without
inflating anything, and the few signatures are a byte comparison. A general "magic" library would name more kinds
of file but could not tell a DOCX from any other ZIP, nor measure a zip bomb, which is what matters here."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from workflow import limits
from workflow.errors import InvalidInput
from workflow.i18n import N_

#: what an archive may declare it unpacks to, in all and per compressed byte, before it is taken for a bomb
ZIP_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_RATIO = 100
ZIP_MEMBERS = 10_000
ACCEPTED = "PDF, DOCX, ODT, XLSX, PNG, JPEG"


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    media_type: str
    #: the file name endings it goes by, the usual one first
    suffixes: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
ODT = Kind("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
KINDS = (PDF, DOCX, ODT, XLSX, PNG, JPEG)

#: the first bytes of programs, which no council paper starts with
_PROGRAMS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf")


@dataclass(frozen=True, slots=True)
class Checked:
    kind: Kind
    filename: str


def check_upload(filename: str, content: bytes, *, limit: int = limits.ATTACHMENT_BYTES) -> Checked:
    """The kind of the file and the name it is kept under, or a refusal (InvalidInput) saying what is wrong."""
    name = clean_filename(filename)
    if not content:
        raise InvalidInput("uploads.empty", N_("«{name}» is empty"), name=name)
    if len(content) > limit:
        raise InvalidInput(
            "uploads.too_large",
            N_("«{name}» has {size} MB; at most {limit} MB are accepted"),
            name=name,
            size=_megabytes(len(content)),
            limit=_megabytes(limit),
        )
    kind = _kind(name, content)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix and suffix not in kind.suffixes:
        raise InvalidInput(
            "uploads.name_does_not_match",
            N_("«{name}» is named as a {suffix} file, but its content is {kind}: rename it or attach the right file"),
            name=name,
            suffix=suffix,
            kind=kind.name,
        )
    if not suffix:
        name = f"{name}{kind.suffixes[0]}"
    return Checked(kind, name)


def clean_filename(filename: str) -> str:
    """The file's own name without any folder, control characters or excess length (its ending kept)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip().strip(".") or "file"
    if len(name) > 150:
        path = PurePosixPath(name)
        name = path.stem[: 150 - len(path.suffix)] + path.suffix
    return name


def _kind(name: str, content: bytes) -> Kind:
    if content.startswith(b"%PDF-"):
        if b"%%EOF" not in content[-2048:]:
            raise InvalidInput("uploads.pdf_truncated", N_("«{name}» is an incomplete PDF file"), name=name)
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office(name, content)
    if content.startswith(_PROGRAMS):
        raise InvalidInput(
            "uploads.program",
            N_("«{name}» is a program, not a document; accepted are {accepted} files"),
            name=name,
            accepted=ACCEPTED,
        )
    raise InvalidInput(
        "uploads.unknown_kind",
        N_("«{name}» is not one of the accepted kinds ({accepted}), whatever its name says"),
        name=name,
        accepted=ACCEPTED,
    )


def _office(name: str, content: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InvalidInput(
            "uploads.damaged", N_("«{name}» is damaged: its archive cannot be read"), name=name
        ) from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if len(members) > ZIP_MEMBERS or unpacked > ZIP_UNPACKED_BYTES or unpacked > ZIP_RATIO * max(packed, 1):
        raise InvalidInput(
            "uploads.zip_bomb",
            N_("«{name}» would unpack to {size} MB from {packed} MB ({ratio} times): refused as a possible zip bomb"),
            name=name,
            size=_megabytes(unpacked),
            packed=_megabytes(len(content)),
            ratio=unpacked // max(packed, 1),
        )
    names = {m.filename for m in members}
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return DOCX
    if {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        return XLSX
    if members and members[0].filename == "mimetype" and "content.xml" in names and members[0].file_size < 100:
        with archive.open(members[0]) as declared:
            if declared.read(100).strip() == ODT.media_type.encode():
                return ODT
    raise InvalidInput(
        "uploads.other_archive",
        N_("«{name}» is a ZIP archive, but not a DOCX, ODT or XLSX document"),
        name=name,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
