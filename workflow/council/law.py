"""The numbers the law sets for a council's work, in one place, overridable from the environment.

Defaults follow the Law of Ukraine "On Local Self-Government" and the Law "On Access to Public Information":
drafts are published for discussion at least 10 working days before they are considered, a regular session is
convened at least 10 days before it meets (an extraordinary one a day before), and roll-call results and
decisions are published within 5 working days.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

#: the council's local time: dates of sessions and deadlines are counted in it
KYIV = ZoneInfo("Europe/Kyiv")


@dataclass(frozen=True)
class Law:
    publication_working_days: int = 10
    convene_days_regular: int = 10
    convene_days_extraordinary: int = 1
    publication_of_results_working_days: int = 5

    @classmethod
    def from_env(cls) -> Law:
        """`RADAFLOW_LAW_CONVENE_DAYS_REGULAR=14` and the like override a default."""
        overrides = {}
        for field in fields(cls):
            raw = os.environ.get(f"RADAFLOW_LAW_{field.name.upper()}")
            if raw is not None:
                overrides[field.name] = int(raw)
        return cls(**overrides)


LAW = Law.from_env()
