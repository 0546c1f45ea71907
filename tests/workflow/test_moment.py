"""A moment as the council writes it: numeric, Kyiv time, the same in both languages; written without Babel, it
reads as Babel's pattern "dd.MM.yyyy HH:mm" does, summer and winter time alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime

from workflow.i18n import KYIV, babel_locale, moment


def test_a_moment_reads_as_babel_writes_it_in_kyiv_time_in_both_languages():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for hours in range(0, 24 * 400, 7):  # through both changes of the clocks
        at = start + timedelta(hours=hours, minutes=hours % 60)
        for locale in ("uk", "en"):
            assert moment(at, locale) == format_datetime(
                at, "dd.MM.yyyy HH:mm", tzinfo=KYIV, locale=babel_locale(locale)
            )
    assert moment(datetime(2026, 3, 18, 9, 0, tzinfo=UTC), "uk") == "18.03.2026 11:00"
