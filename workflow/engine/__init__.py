"""The workflow engine: documents move through their definitions' machines, audited, with effects recorded."""

from workflow.engine.firing import (
    Action,
    Fired,
    available_actions,
    create_document,
    document_changed,
    edit_document,
    fire,
    lock_document,
    record_entry,
)

__all__ = [
    "Action",
    "Fired",
    "available_actions",
    "create_document",
    "document_changed",
    "edit_document",
    "fire",
    "lock_document",
    "record_entry",
]
