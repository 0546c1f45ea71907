"""Reading the web's pages in the tests: the shipped definitions they show, and their tables as rows of text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SHIPPED = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in DEFINITIONS.glob("*.yaml")}


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (whitespace collapsed), header rows included."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables
