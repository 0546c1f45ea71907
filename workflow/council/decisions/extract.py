"""The text of a decision's attached files, for the search: Word (python-docx) and PDF (pypdf).

A file that cannot be read (damaged, encrypted, not what its type says) gives no text and refuses nothing: the
decision is still found by its title and text. The text kept is bounded, as is the work: a PDF's first pages only.
"""

from __future__ import annotations

import io
import logging
import zipfile

from workflow.files import DOCX_MEDIA_TYPE

PDF_MEDIA_TYPE = "application/pdf"
#: at most this many characters of one file's text are searched
LONGEST_TEXT = 200_000
#: a PDF's pages read at most
PDF_PAGES = 300
#: a Word file whose parts unpack to more than this is not read (a zip bomb)
DOCX_UNPACKED = 50 * 1024 * 1024

log = logging.getLogger(__name__)


def text_of(content: bytes, media_type: str, filename: str = "") -> str:
    """The file's text, or "" for a kind of file the search does not read or one that cannot be read."""
    name = filename.lower()
    try:
        if media_type == DOCX_MEDIA_TYPE or name.endswith(".docx"):
            return _docx_text(content)[:LONGEST_TEXT]
        if media_type == PDF_MEDIA_TYPE or name.endswith(".pdf"):
            return _pdf_text(content)[:LONGEST_TEXT]
        if media_type.startswith("text/plain") or name.endswith(".txt"):
            return content.decode("utf-8", errors="replace")[:LONGEST_TEXT]
    except Exception as error:  # any damage in a file is the file's, never the move's that indexes it
        log.warning("the text of %s (%s) could not be read: %s", filename or "a file", media_type, error)
    return ""


def _docx_text(content: bytes) -> str:
    import docx

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if sum(info.file_size for info in archive.infolist()) > DOCX_UNPACKED:
            return ""
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(part for part in parts if part)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        return ""
    parts: list[str] = []
    size = 0
    for page in reader.pages[:PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > LONGEST_TEXT:
            break
    return "\n".join(parts)
