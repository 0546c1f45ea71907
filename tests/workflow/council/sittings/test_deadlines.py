"""The law's deadlines as guards: a draft is published for discussion at least 10 working days before the session
that considers it, and a session is convened at least 10 days before it meets (an extraordinary one, 1 day).
A refusal says exactly why, with the dates and the numbers that decided it.

Working days are weekdays that are not public holidays of the `holidays` package for UA. That package gives no
Ukrainian public holidays from 2022 on: under martial law (Law № 2136-IX) public holidays are not days off.
So the 2026 scenarios below count only weekends, and the holiday scenario is set in June 2021, when Pentecost
(20 June, a Sunday, observed on Monday 21 June) and Constitution Day (Monday 28 June) were days off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.conftest import T0
from workflow.calendar import is_working_day, working_days_between
from workflow.council.sittings import sessions
from workflow.engine import available_actions, fire
from workflow.errors import GuardFailed
from workflow.i18n import render

# the scenario clock: day 0 is Monday 2 March 2026, 09:00 UTC (11:00 in Kyiv)
TUESDAY_3_MARCH, TUESDAY_10_MARCH, FRIDAY_13_MARCH, MONDAY_16_MARCH, WEDNESDAY_18_MARCH = 1, 8, 11, 14, 16


def days_since_t0(moment: datetime) -> float:
    return (moment - T0).total_seconds() / 86400


def put_on_agenda(world, draft, plenary, days):
    return sessions.add_to_agenda(world.session, plenary, world.actor(world.secretary, days), draft, now=world.at(days))


# --- publication before the session ---------------------------------------------------------------------------
def test_a_draft_published_5_working_days_before_the_session_is_refused_with_the_dates(session, world, unchanged):
    draft = world.reviewed_draft(days=TUESDAY_3_MARCH)  # published Tuesday 3 March
    plenary = world.planned_session(number=12, days=TUESDAY_10_MARCH)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        put_on_agenda(world, draft, plenary, days=TUESDAY_3_MARCH + 2)
    # 4, 5, 6, 9 and 10 March: the weekend of 7-8 March does not count
    assert refused.value.reasons == (
        "published on 3 March 2026, the session is on 10 March 2026: 5 working days, the rule asks for 10",
    )
    assert refused.value.message == (
        "'Put on the agenda' is not possible now: published on 3 March 2026, the session is on 10 March 2026: "
        "5 working days, the rule asks for 10"
    )
    assert draft.state == "committee_review"


def test_nine_working_days_are_one_too_few(session, world, unchanged):
    draft = world.reviewed_draft(days=0)  # published Monday 2 March
    plenary = world.planned_session(number=12, days=FRIDAY_13_MARCH)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        put_on_agenda(world, draft, plenary, days=2)
    assert refused.value.reasons == (
        "published on 2 March 2026, the session is on 13 March 2026: 9 working days, the rule asks for 10",
    )


def test_ten_working_days_are_enough(session, world):
    draft = world.reviewed_draft(days=0)  # published Monday 2 March
    plenary = world.planned_session(number=12, days=MONDAY_16_MARCH)
    put_on_agenda(world, draft, plenary, days=2)
    assert draft.state == "on_agenda"


def test_the_button_asks_for_the_session_and_the_move_for_one_says_why_not(session, world):
    draft = world.reviewed_draft(days=TUESDAY_3_MARCH)
    plenary = world.planned_session(number=12, days=TUESDAY_10_MARCH)
    secretary = world.actor(world.secretary, 5)
    # the session a draft goes to is sent with the move; the button is offered for a chosen session
    actions = available_actions(session, draft, secretary, now=world.at(5))
    (action,) = [a for a in actions if a.trigger == "put_on_agenda"]
    assert not action.allowed
    assert action.reasons == ("say which session the draft goes to (session_id)",)
    with pytest.raises(GuardFailed, match="5 working days, the rule asks for 10"):
        fire(session, draft, "put_on_agenda", secretary, data={"session_id": plenary.id}, now=world.at(5))


def test_public_holidays_are_not_working_days(session, world, unchanged):
    published = datetime(2021, 6, 18, 9, 0, tzinfo=UTC)  # Friday
    sitting = datetime(2021, 7, 2, 9, 0, tzinfo=UTC)  # Friday, two calendar weeks later: 10 weekdays between
    draft = world.reviewed_draft(days=days_since_t0(published))
    plenary = world.planned_session(number=3, days=days_since_t0(sitting))
    with unchanged(), pytest.raises(GuardFailed) as refused:
        put_on_agenda(world, draft, plenary, days=days_since_t0(published) + 3)
    assert refused.value.reasons == (
        "published on 18 June 2021, the session is on 2 July 2021: 8 working days, the rule asks for 10",
    )


@pytest.mark.parametrize(
    ("first", "last", "working_days"),
    [
        (date(2021, 6, 18), date(2021, 7, 2), 8),  # Pentecost observed on 21 June, Constitution Day on 28 June
        (date(2021, 6, 18), date(2021, 7, 6), 10),
        (date(2026, 3, 3), date(2026, 3, 10), 5),  # only the weekend
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Friday to Monday
        (date(2026, 3, 7), date(2026, 3, 8), 0),  # Saturday to Sunday
        (date(2026, 3, 10), date(2026, 3, 3), 0),  # backwards
    ],
)
def test_working_days_are_counted_after_the_first_day_up_to_the_last(first, last, working_days):
    assert working_days_between(first, last) == working_days


def test_holidays_before_martial_law_are_days_off_and_none_are_given_after_it():
    assert not is_working_day(date(2021, 6, 21))  # Pentecost (Sunday 20 June) observed
    assert not is_working_day(date(2021, 6, 28))  # Constitution Day
    assert not is_working_day(date(2021, 8, 24))  # Independence Day
    assert is_working_day(date(2026, 8, 24))  # Independence Day 2026, a Monday: a working day under martial law


# --- convening a session ----------------------------------------------------------------------------------------
def session_with_agenda(world, *, kind="regular", days=WEDNESDAY_18_MARCH):
    """A session on day `days` with a reviewed draft (published on day 0) on its agenda, planned on day 0."""
    draft = world.reviewed_draft(days=0)
    plenary = sessions.plan_session(
        world.session,
        world.actor(world.secretary, 0),
        number=12,
        starts_at=world.at(days),
        place="Сесійна зала",
        kind=kind,
        now=world.at(0),
    )
    put_on_agenda(world, draft, plenary, days=2)
    return plenary


def convene(world, plenary, days):
    return fire(world.session, plenary, "convene", world.actor(world.secretary, days), now=world.at(days))


def test_a_regular_session_convened_5_days_before_is_refused_with_the_dates(session, world, unchanged):
    plenary = session_with_agenda(world)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        convene(world, plenary, WEDNESDAY_18_MARCH - 5)
    assert refused.value.reasons == (
        "the session is on 18 March 2026, convened on 13 March 2026: 5 days before, "
        "a regular session is convened at least 10 days before",
    )
    assert plenary.state == "planned"


def test_a_regular_session_convened_10_days_before_is_allowed(session, world):
    plenary = session_with_agenda(world)
    convene(world, plenary, WEDNESDAY_18_MARCH - 10)
    assert plenary.state == "convened"


def test_an_extraordinary_session_may_be_convened_the_day_before(session, world):
    plenary = session_with_agenda(world, kind="extraordinary")
    convene(world, plenary, WEDNESDAY_18_MARCH - 1)
    assert plenary.state == "convened"


def test_an_extraordinary_session_is_not_convened_on_its_own_day(session, world, unchanged):
    plenary = session_with_agenda(world, kind="extraordinary")
    with unchanged(), pytest.raises(GuardFailed) as refused:
        convene(world, plenary, WEDNESDAY_18_MARCH - 0.1)
    assert refused.value.reasons == (
        "the session is on 18 March 2026, convened on 18 March 2026: 0 days before, "
        "an extraordinary session is convened at least 1 day before",
    )


def test_a_session_with_an_empty_agenda_is_not_convened_and_both_reasons_are_given(session, world, unchanged):
    plenary = world.planned_session(number=12, days=WEDNESDAY_18_MARCH)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        convene(world, plenary, WEDNESDAY_18_MARCH - 9)
    assert refused.value.reasons == (
        "the agenda is empty",
        "the session is on 18 March 2026, convened on 9 March 2026: 9 days before, "
        "a regular session is convened at least 10 days before",
    )


def test_a_ukrainian_reader_reads_the_refusal_with_ukrainian_dates_and_plurals(session, world, unchanged):
    """The dates of a refusal are written by the reader's language, not by strftime's English %B."""
    draft = world.reviewed_draft(days=TUESDAY_3_MARCH)
    plenary = world.planned_session(number=12, days=TUESDAY_10_MARCH)
    with unchanged(), pytest.raises(GuardFailed) as refused:
        put_on_agenda(world, draft, plenary, days=TUESDAY_3_MARCH + 2)

    # Babel's Ukrainian long date: "3 березня 2026 р." with a narrow no-break space before "р."
    assert render(refused.value.reasons[0], "uk") == (
        "оприлюднено 3 березня 2026\u202fр., сесія 10 березня 2026\u202fр.: 5 робочих днів, а правило вимагає 10"
    )
    assert render(refused.value.detail, "uk") == (
        "«Включити до порядку денного» зараз неможливо: оприлюднено 3 березня 2026\u202fр., сесія 10 березня "
        "2026\u202fр.: 5 робочих днів, а правило вимагає 10"
    )
    assert refused.value.code == "engine.guard_failed"
    assert refused.value.reasons[0].code == "guards.published_published_at_session"
