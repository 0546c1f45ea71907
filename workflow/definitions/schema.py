"""The shape of a definition file (`definitions/<kind>.yaml`), checked by pydantic before anything runs.

Only the shape lives here; the checks that need the whole file (unknown states, reachability, ...) and the
names known to the code (roles, guards, effects) are in `loader.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workflow.calendar import add_days
from workflow.timeutil import as_utc

Name = str  # a snake_case identifier: a state, trigger, role, guard or effect


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Title(_Strict):
    """A name shown to people, in Ukrainian (the default) and English."""

    uk: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Deadline(_Strict):
    """How long a document may stay in a state before it is overdue, and what the deadline sweep does about it:
    remind before, tell after (escalate), or make the move the law makes automatic when the time is up.

    The due date is either `days` after the document entered the state, or the moment one of its fields holds
    (`until`, e.g. the end of a delegation's period)."""

    days: int | None = Field(default=None, gt=0, le=3650)
    #: the document's field holding the due moment (an ISO date-time), instead of `days`
    until: Name | None = None
    #: count working days (the Ukrainian calendar, weekends and public holidays excluded)
    working: bool = False
    #: remind the `remind` roles this many days (counted the same way) before the due date
    remind_before: int | None = Field(default=None, gt=0, le=3650)
    #: who is reminded: roles as in `notify`, relative to the document (author, ...) or council-wide
    remind: tuple[Name, ...] = ()
    #: who is told once the document is overdue, e.g. the secretary
    escalate: tuple[Name, ...] = ()
    #: the trigger the system fires when the time is up (it must be a transition from this state open to `system`)
    on_expiry: Name | None = None

    @model_validator(mode="after")
    def _one_due_date(self) -> Deadline:
        if self.days is None and self.until is None:
            raise ValueError("a deadline needs 'days' or 'until' (the field holding the due moment)")
        if self.days is not None and self.until is not None:
            raise ValueError("a deadline has either 'days' or 'until' (the field holding the due moment), not both")
        if self.until is not None and self.working:
            raise ValueError("'working' counts days: a deadline 'until' a field's moment takes none")
        return self

    def due(self, entered_at: datetime, fields: Mapping[str, Any]) -> datetime | None:
        """When a stay that began at `entered_at` is due: `days` later, or the moment the field `until` holds
        (None when that field is empty or holds no moment: then nothing is due; the engine refuses to write one
        that is neither)."""
        if self.days is not None:
            return add_days(entered_at, self.days, working=self.working)
        return moment_of(fields.get(self.until or ""))

    def reminder(self, entered_at: datetime, due: datetime) -> datetime | None:
        """When to remind: `remind_before` days before the due date, counted as the deadline counts."""
        if self.remind_before is None:
            return None
        if self.days is not None:
            return add_days(entered_at, self.days - self.remind_before, working=self.working)
        return due - timedelta(days=self.remind_before)


def moment_of(value: Any) -> datetime | None:
    """The moment an ISO date-time text with its UTC offset holds, in UTC; None for anything else (a naive
    date-time says no zone, so it names no moment)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        return None if moment.tzinfo is None else as_utc(moment)
    except (ValueError, OverflowError):
        return None


class State(_Strict):
    title: Title
    final: bool = False
    #: whether the public portal shows documents in this state
    public: bool = False
    #: roles that may edit the document while it is in this state
    edit: tuple[Name, ...] = ()
    #: what they may change: field names, and `title` for the title; anything else is refused
    fields: tuple[Name, ...] = ()
    deadline: Deadline | None = None


class EffectRef(_Strict):
    """An effect to record in the outbox when the transition fires: its registered name and parameters."""

    name: Name
    params: dict[str, Any] = Field(default_factory=dict)


class Transition(_Strict):
    trigger: Name
    title: Title
    source: tuple[Name, ...] = Field(alias="from")
    dest: Name = Field(alias="to")
    roles: tuple[Name, ...] = Field(min_length=1)
    guards: tuple[Name, ...] = ()
    effects: tuple[EffectRef, ...] = ()
    comment: Literal["required", "optional", "none"] = "optional"

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_several(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("effects", mode="before")
    @classmethod
    def _effect_forms(cls, value: Any) -> Any:
        return effect_forms(value)


def effect_forms(value: Any) -> Any:
    """Accept `notify`, `{notify: {...params}}` and `{name: notify, params: {...}}`."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            out.append({"name": item})
        elif isinstance(item, dict) and len(item) == 1 and "name" not in item:
            ((name, params),) = item.items()
            out.append({"name": name, "params": params if params is not None else {}})
        else:
            out.append(item)
    return out


class Definition(_Strict):
    kind: Name
    version: int = Field(ge=1)
    title: Title
    #: roles that may create a document of this kind (global roles, or `system` for documents made by tasks)
    create: tuple[Name, ...] = Field(min_length=1)
    initial: Name
    #: effects recorded when a document is created (e.g. telling a deputy that a citizen wrote to him)
    on_create: tuple[EffectRef, ...] = ()
    states: dict[Name, State] = Field(min_length=1)
    transitions: list[Transition] = Field(min_length=1)

    @field_validator("on_create", mode="before")
    @classmethod
    def _effect_forms(cls, value: Any) -> Any:
        return effect_forms(value)
