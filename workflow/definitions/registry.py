"""The loaded definitions, by kind and version, and their stored copies in the database.

New documents start on the version found in `definitions/`; a document keeps the version it started on, and
when the YAML has moved on, that version is compiled again from the text stored when it was first loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.db import REGISTRY_KEY
from workflow.definitions.catalog import Catalog
from workflow.definitions.compiled import CompiledDefinition
from workflow.definitions.loader import load_definition_text, load_directory
from workflow.definitions.models import DefinitionVersion
from workflow.errors import NotFound
from workflow.i18n import N_


class DefinitionChanged(Exception):
    """A definition's text changed but its version number did not: old documents would change meaning."""


class DefinitionRegistry:
    def __init__(self, catalog: Catalog, definitions: Iterable[CompiledDefinition]) -> None:
        self.catalog = catalog
        self._current: dict[str, CompiledDefinition] = {}
        self._by_version: dict[tuple[str, int], CompiledDefinition] = {}
        self._stored: set[tuple[str, int]] = set()
        self._lock = threading.Lock()
        for compiled in definitions:
            self._current[compiled.kind] = compiled
            self._by_version[(compiled.kind, compiled.version)] = compiled

    @classmethod
    def from_directory(cls, directory: Path, catalog: Catalog) -> DefinitionRegistry:
        return cls(catalog, load_directory(directory, catalog))

    def kinds(self) -> list[str]:
        return sorted(self._current)

    def current(self, kind: str) -> CompiledDefinition:
        """The version new documents of this kind start on."""
        try:
            return self._current[kind]
        except KeyError:
            raise NotFound(
                "definitions.there_no_definition_documents",
                N_("there is no definition for documents of kind '{kind}'"),
                kind=kind,
            ) from None

    def get(self, kind: str, version: int, session: Session | None = None) -> CompiledDefinition:
        """The machine for documents on `version`, compiled from its stored text if the YAML moved on."""
        compiled = self._by_version.get((kind, version))
        if compiled is not None:
            return compiled
        if session is None:
            raise NotFound(
                "definitions.version_version_kind_not",
                N_("version {version} of '{kind}' is not loaded"),
                version=version,
                kind=kind,
            )
        stored = session.scalar(
            select(DefinitionVersion).where(DefinitionVersion.kind == kind, DefinitionVersion.version == version)
        )
        if stored is None:
            raise NotFound(
                "definitions.version_version_kind_was",
                N_("version {version} of '{kind}' was never stored"),
                version=version,
                kind=kind,
            )
        compiled = load_definition_text(stored.source_text, f"<stored {kind} v{version}>", self.catalog)
        with self._lock:
            self._by_version[(kind, version)] = compiled
            self._stored.add((kind, version))
        return compiled

    def sync(self, session: Session) -> list[str]:
        """Store every current version not stored yet; refuse a version whose text changed since it was stored.

        Returns what was stored, in words. Flushes; the caller commits.
        """
        stored = {
            (row.kind, row.version): row
            for row in session.scalars(select(DefinitionVersion).where(DefinitionVersion.kind.in_(list(self._current))))
        }
        changed = [
            f"{c.kind} version {c.version}: the YAML differs from the text stored on "
            f"{stored[(c.kind, c.version)].stored_at:%Y-%m-%d} — give the changed definition a new version number"
            for c in self._current.values()
            if (c.kind, c.version) in stored and stored[(c.kind, c.version)].sha256 != c.sha256
        ]
        if changed:
            raise DefinitionChanged("; ".join(changed))
        added = []
        for compiled in self._current.values():
            if (compiled.kind, compiled.version) not in stored:
                session.add(
                    DefinitionVersion(
                        kind=compiled.kind,
                        version=compiled.version,
                        sha256=compiled.sha256,
                        source_text=compiled.source_text,
                    )
                )
                added.append(f"{compiled.kind} version {compiled.version}")
        session.flush()
        with self._lock:
            self._stored.update((c.kind, c.version) for c in self._current.values())
        return added

    def ensure_stored(self, session: Session, compiled: CompiledDefinition) -> None:
        """Documents refer to their stored definition; store it on first use if `sync` did not run."""
        if (compiled.kind, compiled.version) not in self._stored:
            self.sync(session)


def registry_of(session: Session) -> DefinitionRegistry:
    """The registry bound to the session's factory (see `workflow.db.make_sessionmaker`)."""
    registry = session.info.get(REGISTRY_KEY)
    if registry is None:
        raise RuntimeError("the session has no definition registry: open it with workflow.db.make_sessionmaker")
    return registry  # type: ignore[no-any-return]
