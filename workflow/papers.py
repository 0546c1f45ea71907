"""The council's papers: which Word template is rendered for which kind of document, and what reads its
content from the database (the features' `papers` modules). Rendering and storing the file is the tasks' job;
the `render_docx` effect names the paper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from workflow.engine.models import Document

ContextBuilder = Callable[[Session, Document], dict[str, Any]]


@dataclass(frozen=True)
class Paper:
    """A Word template, the kind of document its file is attached to, and what fills it."""

    name: str
    kind: str
    context: ContextBuilder


class Papers:
    """The papers by name, in the order they were added (the order a refusal lists them in)."""

    def __init__(self) -> None:
        self._papers: dict[str, Paper] = {}

    def add(self, name: str, kind: str, context: ContextBuilder) -> None:
        if name in self._papers:
            raise ValueError(f"the paper {name!r} is registered twice")
        self._papers[name] = Paper(name, kind, context)

    def get(self, name: str) -> Paper | None:
        return self._papers.get(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._papers)


class RenderParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the Word template in templates_docx/, without .docx
    template: str = Field(min_length=1)
