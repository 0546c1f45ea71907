"""Attached files for the search's tests: a Word file (python-docx) and a PDF written here byte by byte, its
Ukrainian letters named by their Unicode glyph names in the font's encoding (as PDF writers do for a simple font),
so that a PDF reader gets the text back."""

from __future__ import annotations

import io

import docx


def docx_with(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_with(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica; each character beyond ASCII gets a code of its own."""
    codes: dict[str, int] = {}
    for char in text:
        if ord(char) > 126 and char not in codes:
            codes[char] = 128 + len(codes)
    assert len(codes) <= 128, "the test's PDF has one byte per character"
    differences = " ".join(f"{code} /uni{ord(char):04X}" for char, code in codes.items())
    shown = bytes(codes.get(char, ord(char)) for char in text)
    escaped = shown.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /Differences ["
        + differences.encode()
        + b"] >> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
