"""Build the shipped Word templates of templates_docx/ with python-docx: real Word styles, headings and tables
with a repeating header row, and docxtpl's Jinja tags where the data goes.

Run by hand after changing this file, and commit the .docx files it writes (nothing runs it at run time):

    .venv/bin/python templates_docx/build.py

A secretary may then edit the .docx files in Word; README.md lists the variables each template receives.
Rebuilding overwrites such edits, so an edited copy belongs under instance/templates_docx/ (it wins over these).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"


# --- the building blocks ----------------------------------------------------------------------------------------
def new_document(title: str) -> DocxDocument:
    """A4, the margins of Ukrainian official papers, Times New Roman 12 pt in every style the templates use."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    for name, size in (("Normal", 12), ("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Table Grid", 11)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # Cyrillic is set in the cs/eastAsia slots too
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), FONT)
        if name != "Normal":
            style.font.color.rgb = None  # black, as official papers are
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    document.core_properties.title = title
    document.core_properties.author = "Radaflow"
    document.core_properties.language = "uk-UA"
    return document


def text(
    document: DocxDocument,
    content: str,
    *,
    style: str | None = None,
    bold: bool = False,
    center: bool = False,
    justify: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(content)  # one run per tag: Word never splits a Jinja tag across runs we wrote
    run.bold = bold or None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def tag(document: DocxDocument, jinja: str) -> None:
    """A paragraph holding only a `{%p ... %}` tag: docxtpl replaces the whole paragraph with the tag."""
    document.add_paragraph(jinja)


def labelled(document: DocxDocument, label: str, value: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(value)
    return paragraph


def signature(document: DocxDocument, position: str, name: str) -> None:
    """'Position ..... Name', the name at the right margin."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(24)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run(position).bold = True
    paragraph.add_run("\t" + name).bold = True


def header(document: DocxDocument) -> None:
    """The council's name and convocation, as every paper of the council starts."""
    text(document, "{{ council.name|upper }}", bold=True, center=True)
    text(document, "{{ council.convocation_roman }} скликання", center=True)


def loop_table(document: DocxDocument, headings: list[str], cells: list[str], loop: str, widths: list[float]) -> None:
    """A table with a header row (repeated on every page) and one row per element of `loop` (docxtpl `{%tr %}`)."""
    table = document.add_table(rows=4, cols=len(headings))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, opening, body, closing = table.rows
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for cell, heading in zip(head.cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    opening.cells[0].paragraphs[0].add_run("{%tr " + loop + " %}")
    for cell, content in zip(body.cells, cells, strict=True):
        cell.paragraphs[0].add_run(content)
    closing.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def vote_block(document: DocxDocument, vote: str) -> None:
    """One roll-call vote: the question, the arithmetic, the result and every member's choice."""
    labelled(
        document, "Голосування: ", "«{{ " + vote + ".question }}» ({{ " + vote + ".date }}, {{ " + vote + ".time }})"
    )
    text(
        document,
        "Зареєстровано: {{ "
        + vote
        + ".registered }}; потрібно «за»: {{ "
        + vote
        + ".required }} ({{ "
        + vote
        + ".threshold }}, {{ "
        + vote
        + ".total }}).",
    )
    text(
        document,
        "«за» — {{ " + vote + ".votes_for }}, «проти» — {{ " + vote + ".votes_against }}, "
        "«утримався» — {{ " + vote + ".abstained }}, «не голосував» — {{ " + vote + ".not_voted }}, "
        "«відсутній» — {{ " + vote + ".absent }}.",
    )
    labelled(document, "Результат голосування: ", "{{ " + vote + ".result }}.")
    text(document, "Поіменне голосування:", bold=True)
    loop_table(
        document,
        ["№", "Прізвище, ім'я", "Голосування"],
        ["{{ b.number }}", "{{ b.name }}", "{{ b.choice }}"],
        "for b in " + vote + ".ballots",
        [1.2, 10, 4.5],
    )


def item_block(document: DocxDocument, item: str) -> None:
    """One agenda item in the protocol or an extract: who reported, the votes, the outcome and the decision."""
    text(document, "СЛУХАЛИ: {{ " + item + ".number }}. {{ " + item + ".title }}", style="Heading 2")
    labelled(document, "Доповідач: ", "{{ " + item + ".reporter or '—' }}")
    # art. 59-1 of the Law on local self-government: the protocol records who declared a conflict of interest
    tag(document, "{%p for c in " + item + ".conflicts %}")
    labelled(
        document,
        "Конфлікт інтересів: ",
        "{{ c.name }} заявив(-ла) про конфлікт інтересів: «{{ c.statement }}» — і в голосуванні з цього питання "
        "участі не брав(-ла) (стаття 59-1 Закону України «Про місцеве самоврядування в Україні»).",
    )
    tag(document, "{%p endfor %}")
    tag(document, "{%p for vote in " + item + ".votes %}")
    vote_block(document, "vote")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if not " + item + ".votes %}")
    text(document, "Голосування не проводилося.")
    tag(document, "{%p endif %}")
    labelled(document, "ВИРІШИЛИ: ", "{{ " + item + ".result }}.")
    tag(document, "{%p if " + item + ".decision_number %}")
    labelled(document, "Рішення: ", "{{ " + item + ".decision_number }} від {{ " + item + ".decision_date }}.")
    tag(document, "{%p endif %}")


def sitting_header(document: DocxDocument, title: str) -> None:
    header(document)
    text(document, title, style="Title", center=True)
    text(document, "пленарного засідання {{ session.number }} сесії ({{ session.kind }})", center=True)
    labelled(document, "Дата: ", "{{ session.date }}, початок о {{ session.time }}")
    labelled(document, "Місце: ", "{{ session.place }}")


def quorum(document: DocxDocument) -> None:
    labelled(
        document,
        "Загальний склад ради: ",
        "{{ attendance.total }}. Зареєстровано: {{ attendance.registered }}"
        ", відсутні: {{ attendance.absent }}. Для кворуму потрібно: {{ attendance.quorum }} — "
        "{{ attendance.quorum_text }}.",
    )


def sitting_signatures(document: DocxDocument) -> None:
    signature(document, "Головуючий", "{{ chair }}")
    signature(document, "Секретар ради", "{{ secretary }}")


# --- the templates ----------------------------------------------------------------------------------------------
def decision() -> DocxDocument:
    document = new_document("Рішення")
    header(document)
    text(document, "{{ session_number }} сесія", center=True)
    text(document, "РІШЕННЯ", style="Title", center=True)
    line = document.add_paragraph()
    line.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
    line.add_run("{{ date }}")
    line.add_run("\t{{ number }}").bold = True
    text(document, "{{ title }}", style="Heading 1")
    tag(document, "{%p for paragraph in body %}")
    text(document, "{{ paragraph }}", justify=True)
    tag(document, "{%p endfor %}")
    signature(document, "Міський голова", "{{ mayor }}")
    return document


def agenda() -> DocxDocument:
    document = new_document("Порядок денний")
    header(document)
    text(document, "ПОРЯДОК ДЕННИЙ", style="Title", center=True)
    text(document, "{{ session.number }} сесії ({{ session.kind }})", center=True)
    labelled(document, "Дата: ", "{{ session.date }}, початок о {{ session.time }}")
    labelled(document, "Місце: ", "{{ session.place }}")
    loop_table(
        document,
        ["№", "Питання", "Доповідає"],
        ["{{ i.number }}", "{{ i.title }}", "{{ i.reporter or '—' }}"],
        "for i in items",
        [1.2, 10.3, 5],
    )
    tag(document, "{%p if not items %}")
    text(document, "Питань до порядку денного не включено.")
    tag(document, "{%p endif %}")
    return document


def protocol() -> DocxDocument:
    document = new_document("Протокол")
    sitting_header(document, "ПРОТОКОЛ № {{ session.number }}")
    text(document, "Реєстрація депутатів", style="Heading 1")
    quorum(document)
    loop_table(
        document,
        ["№", "Прізвище, ім'я", "Реєстрація"],
        ["{{ m.number }}", "{{ m.name }}", "{{ m.presence }}"],
        "for m in attendance.members",
        [1.2, 10, 5.3],
    )
    tag(document, "{%p if procedural_votes %}")
    text(document, "Процедурні голосування", style="Heading 1")
    tag(document, "{%p endif %}")
    tag(document, "{%p for vote in procedural_votes %}")
    vote_block(document, "vote")
    tag(document, "{%p endfor %}")
    text(document, "Розгляд питань порядку денного", style="Heading 1")
    tag(document, "{%p for item in items %}")
    item_block(document, "item")
    tag(document, "{%p endfor %}")
    sitting_signatures(document)
    return document


def protocol_extract() -> DocxDocument:
    document = new_document("Витяг з протоколу")
    sitting_header(document, "ВИТЯГ З ПРОТОКОЛУ № {{ session.number }}")
    quorum(document)
    item_block(document, "item")
    sitting_signatures(document)
    text(document, "Витяг вірний.", bold=True)
    return document


def committee_conclusion() -> DocxDocument:
    document = new_document("Висновок постійної комісії")
    header(document)
    text(document, "Постійна комісія {{ committee.name }}", bold=True, center=True)
    text(document, "ВИСНОВОК", style="Title", center=True)
    text(document, "щодо проєкту рішення «{{ draft.title }}»", center=True)
    labelled(document, "Дата: ", "{{ date }}")
    tag(document, "{%p if lead %}")
    text(document, "Комісія є головною з розгляду цього проєкту.")
    tag(document, "{%p endif %}")
    labelled(document, "Рекомендація: ", "{{ recommendation }}.")
    tag(document, "{%p for paragraph in body %}")
    text(document, "{{ paragraph }}", justify=True)
    tag(document, "{%p endfor %}")
    tag(document, "{%p if vote %}")
    vote_block(document, "vote")
    tag(document, "{%p endif %}")
    signature(document, "Голова комісії", "{{ chair }}")
    return document


def committee_protocol() -> DocxDocument:
    document = new_document("Протокол засідання постійної комісії")
    header(document)
    text(document, "Постійна комісія {{ committee.name }}", bold=True, center=True)
    text(document, "ПРОТОКОЛ", style="Title", center=True)
    text(document, "засідання постійної комісії", center=True)
    labelled(document, "Дата: ", "{{ meeting.date }}, початок о {{ meeting.time }}")
    labelled(document, "Місце: ", "{{ meeting.place }}")
    text(document, "Порядок денний", style="Heading 1")
    loop_table(
        document,
        ["№", "Питання"],
        ["{{ i.number }}", "Про проєкт рішення «{{ i.title }}»"],
        "for i in items",
        [1.2, 15.3],
    )
    tag(document, "{%p if not items %}")
    text(document, "Питань до порядку денного не включено.")
    tag(document, "{%p endif %}")
    text(document, "Присутність членів комісії", style="Heading 1")
    labelled(
        document,
        "Склад комісії: ",
        "{{ attendance.total }}. Присутні: {{ attendance.present }}, відсутні: {{ attendance.absent }}. "
        "Для кворуму потрібно: {{ attendance.quorum }} — {{ attendance.quorum_text }}.",
    )
    loop_table(
        document,
        ["№", "Прізвище, ім'я", "Присутність"],
        ["{{ m.number }}", "{{ m.name }}", "{{ m.presence }}"],
        "for m in attendance.members",
        [1.2, 10, 5.3],
    )
    text(document, "Розгляд питань", style="Heading 1")
    tag(document, "{%p for item in items %}")
    text(document, "СЛУХАЛИ: {{ item.number }}. Про проєкт рішення «{{ item.title }}»", style="Heading 2")
    tag(document, "{%p if item.lead %}")
    text(document, "Комісія є головною з розгляду цього проєкту.")
    tag(document, "{%p endif %}")
    tag(document, "{%p if item.recommendation %}")
    labelled(document, "Висновок комісії: ", "{{ item.recommendation }}.")
    tag(document, "{%p endif %}")
    tag(document, "{%p for paragraph in item.body %}")
    text(document, "{{ paragraph }}", justify=True)
    tag(document, "{%p endfor %}")
    tag(document, "{%p for vote in item.votes %}")
    vote_block(document, "vote")
    tag(document, "{%p endfor %}")
    tag(document, "{%p if not item.votes %}")
    text(document, "Голосування не проводилося.")
    tag(document, "{%p endif %}")
    tag(document, "{%p endfor %}")
    signature(document, "Голова комісії", "{{ chair }}")
    signature(document, "Секретар комісії", "{{ secretary or '—' }}")
    return document


TEMPLATES = {
    "decision": decision,
    "agenda": agenda,
    "protocol": protocol,
    "protocol_extract": protocol_extract,
    "committee_conclusion": committee_conclusion,
    "committee_protocol": committee_protocol,
}


def save_reproducibly(document: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps, so building twice gives the same bytes and git sees only real changes."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as built, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in built.infolist():
            out.writestr(
                zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                built.read(entry),
                compress_type=zipfile.ZIP_DEFLATED,
            )


def main() -> None:
    for name, build in TEMPLATES.items():
        path = HERE / f"{name}.docx"
        save_reproducibly(build(), path)
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
