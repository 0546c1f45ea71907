"""Helpers of the drafting pages' tests: posting their forms as a browser does, files of every kind (and the bad
ones a council sees), and the whole database's snapshot to tell that a refusal changed nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from tests.conftest import snapshot
from tests.web.site import Site, token

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def zip_bomb() -> bytes:
    """A "DOCX" whose document unpacks to 60 MB of zeros from a few dozen kilobytes."""
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (60 * 1024 * 1024)})


def post(client: FlaskClient, url: str, data: dict[str, object], **kwargs: object) -> TestResponse:
    return client.post(url, data={"csrf_token": token(client), **data}, **kwargs)


def upload(client: FlaskClient, draft_id: int, name: str, content: bytes, replaces: str = "") -> TestResponse:
    """The file form posted as a browser sends it. The body is encoded here, in memory: the test client would
    spool a large one to a temporary file that nobody closes."""
    values = {"csrf_token": token(client), "file": FileStorage(io.BytesIO(content), name), "replaces": replaces}
    boundary, body = encode_multipart(MultiDict(values))
    return client.post(f"/drafts/{draft_id}/files", data=body, content_type=f"multipart/form-data; boundary={boundary}")


@contextmanager
def nothing_changed(site: Site) -> Iterator[None]:
    """Asserts the block left every row of every table as it was (files included: they live in the database)."""
    before = snapshot(site.session)
    yield
    after = snapshot(site.session)
    assert after == before, "a refused request left a trace:\n" + "\n".join(before.differences(after))
