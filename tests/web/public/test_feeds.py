"""The iCalendar feeds (RFC 5545), read back with `icalendar`: every announced session once, with a UID that
never changes, DTSTAMP, Kyiv times with their VTIMEZONE, and a cancelled session marked so; a committee's feed
holds the sessions that consider its drafts and its own meetings, which the council's feed holds too."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.web.public.council_record import INTERNAL_TITLE
from tests.web.site import in_english
from tests.workflow.council.committees.scenes import referred_and_meeting
from workflow.council.committees import meetings
from workflow.council.sittings import sessions
from workflow.engine import fire

KYIV = ZoneInfo("Europe/Kyiv")


def feed(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_sessions_feed_holds_every_announced_session_with_its_kyiv_time(site, record):
    calendar = feed(site.client(), "/sessions.ics")

    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    found = events(calendar)
    council = site.world.council.id
    assert set(found) == {
        f"session-{s.id}.council-{council}@radaflow" for s in (record.held, record.convened, record.cancelled)
    }
    held = found[f"session-{record.held.id}.council-{council}@radaflow"]
    assert str(held["summary"]) == "Сесія № 12 (чергова)"
    assert str(held["location"]) == "Сесійна зала, пл. Свободи, 1"
    assert str(held["status"]) == "CONFIRMED"
    start = held.decoded("dtstart")
    assert start == datetime(2026, 3, 18, 11, 0, tzinfo=KYIV)
    assert start.utcoffset().total_seconds() == 2 * 3600
    assert held.decoded("dtend") > start  # the close of the sitting
    assert held["dtstamp"].dt.tzinfo is not None
    assert str(held["url"]).endswith(f"/sessions/{record.held.id}")
    assert "Про ремонт даху ліцею № 2" in str(held["description"])
    # times are written in Europe/Kyiv, which the feed describes
    assert "Europe/Kyiv" in {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    assert "TZID=Europe/Kyiv" in site.client().get("/sessions.ics").get_data(as_text=True)
    convened = found[f"session-{record.convened.id}.council-{council}@radaflow"]
    assert convened.decoded("dtstart") == datetime(2026, 4, 8, 9, 0, tzinfo=UTC)  # 12:00 in summer time


def test_a_cancelled_session_stays_in_the_feed_marked_cancelled_with_a_higher_sequence(site, record):
    found = events(feed(site.client(), "/sessions.ics"))
    council = site.world.council.id

    cancelled = found[f"session-{record.cancelled.id}.council-{council}@radaflow"]
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) == 1
    assert str(cancelled["summary"]).startswith("Скасовано: Сесія № 14")
    held = found[f"session-{record.held.id}.council-{council}@radaflow"]
    assert int(held["sequence"]) == 0


def test_the_uids_stay_the_same_as_the_sessions_move_on(site, record):
    world = site.world
    before = set(events(feed(site.client(), "/sessions.ics")))
    fire(site.session, record.convened, "open", world.actor(world.secretary, 37), now=world.at(37))
    site.commit()

    after = events(feed(site.client(), "/sessions.ics"))

    assert set(after) == before


def test_nothing_only_planned_or_internal_is_in_the_feed(site, record):
    body = site.client().get("/sessions.ics").get_data(as_text=True)

    assert "Сесія № 15" not in body
    assert "Сесія № 16" not in body
    assert INTERNAL_TITLE not in body
    assert "Карантин" not in body


def test_the_feed_speaks_the_readers_language(site, record):
    calendar = feed(in_english(site.client()), "/sessions.ics")
    summaries = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert "Session № 12 (regular)" in summaries
    assert "Cancelled: Session № 14 (regular)" in summaries


def test_a_committees_feed_holds_the_sessions_that_consider_its_drafts(site, record):
    world = site.world
    council = world.council.id
    budget = events(feed(site.client(), f"/committees/{world.budget.id}.ics"))
    # every draft of the record went to the budget committee; none to education
    assert set(budget) == {
        f"session-{s.id}.council-{council}@radaflow" for s in (record.held, record.convened, record.cancelled)
    }
    assert events(feed(site.client(), f"/committees/{world.education.id}.ics")) == {}
    calendar = feed(site.client(), f"/committees/{world.budget.id}.ics")
    assert str(calendar["x-wr-calname"]) == "З питань бюджету"


def test_an_advisory_committee_sees_the_session_of_its_draft_too(site):
    world = site.world
    secretary = world.actor(world.secretary, 1)
    draft = world.published_draft("Про шкільні автобуси", days=0)
    from workflow.council.drafts import drafts

    for conclusion in drafts.send_to_committees(
        site.session, draft, secretary, world.budget, [world.education], now=world.at(1)
    ):
        committee = world.budget if conclusion.fields["committee_id"] == world.budget.id else world.education
        chair = world.actor(world.deputies[0] if committee is world.budget else world.deputies[4], 1)
        from workflow.council.sittings.votes import hold_committee_vote
        from workflow.engine import edit_document

        edit_document(
            site.session, conclusion, chair, fields={"recommendation": "support", "body": "Так."}, now=world.at(1)
        )
        members = [world.deputies[i] for i in ((0, 1, 2, 3) if committee is world.budget else (4, 5, 6))]
        hold_committee_vote(
            site.session,
            conclusion,
            chair,
            question="Підтримати",
            ballots={p.id: "for" for p in members},
            now=world.at(1),
        )
        fire(site.session, conclusion, "discuss", chair, now=world.at(1))
        fire(site.session, conclusion, "sign", chair, now=world.at(1))
    plenary = world.planned_session(number=12, days=16)
    sessions.add_to_agenda(site.session, plenary, world.actor(world.secretary, 5), draft, now=world.at(5))
    fire(site.session, plenary, "convene", world.actor(world.secretary, 6), now=world.at(6))
    site.commit()

    education = events(feed(site.client(), f"/committees/{world.education.id}.ics"))

    assert set(education) == {f"session-{plenary.id}.council-{world.council.id}@radaflow"}


def test_a_committee_that_does_not_exist_has_no_feed(site):
    assert site.client().get("/committees/987654.ics").status_code == 404
    assert site.client().get("/committees/99999999999.ics").status_code == 404


# --- the committees' meetings ----------------------------------------------------------------------------------
def meeting_uid(site, meeting) -> str:
    return f"committee-meeting-{meeting.id}.council-{site.world.council.id}@radaflow"


def test_a_committee_s_planned_meeting_is_in_its_feed_and_the_council_s(site):
    world = site.world
    scene = referred_and_meeting(site.session, world, opened=False)
    site.commit()

    budget = events(feed(site.client(), f"/committees/{world.budget.id}.ics"))

    meeting = budget[meeting_uid(site, scene.meeting)]
    assert str(meeting["summary"]) == "Засідання комісії: З питань бюджету"
    assert str(meeting["location"]) == "Кімната 12"
    assert str(meeting["status"]) == "CONFIRMED"
    assert int(meeting["sequence"]) == 0
    assert meeting.decoded("dtstart") == datetime(2026, 3, 4, 11, 0, tzinfo=KYIV)
    assert meeting.decoded("dtend") == datetime(2026, 3, 4, 13, 0, tzinfo=KYIV)  # two hours while not closed
    assert meeting["dtstamp"].dt.tzinfo is not None
    assert str(meeting["url"]).endswith(f"/committees/{world.budget.id}")
    assert str(meeting["description"]) == "Порядок денний:\n1. Про ремонт даху ліцею № 2"
    # the session the draft goes to is in its calendar as before: both sources, each event once
    assert set(events(feed(site.client(), "/sessions.ics"))) >= {meeting_uid(site, scene.meeting)}
    assert meeting_uid(site, scene.meeting) not in events(feed(site.client(), f"/committees/{world.education.id}.ics"))


def test_a_meeting_keeps_its_uid_as_it_is_held_and_ends_when_it_closed(site):
    world = site.world
    scene = referred_and_meeting(site.session, world)
    site.commit()
    uid = meeting_uid(site, scene.meeting)
    before = events(feed(site.client(), f"/committees/{world.budget.id}.ics"))
    meetings.close_meeting(site.session, scene.meeting, scene.chair, now=world.at(2.05))
    site.commit()

    after = events(feed(site.client(), f"/committees/{world.budget.id}.ics"))

    assert set(after) == set(before)
    assert after[uid].decoded("dtend") == datetime(2026, 3, 4, 12, 12, tzinfo=KYIV)  # closed 72 minutes in
    assert str(after[uid]["status"]) == "CONFIRMED"


def test_a_cancelled_meeting_stays_marked_cancelled_without_its_reason(site):
    world = site.world
    scene = referred_and_meeting(site.session, world, opened=False)
    meetings.cancel_meeting(site.session, scene.meeting, scene.chair, "Голова хворіє на грип", now=world.at(1.5))
    site.commit()

    for url in (f"/committees/{world.budget.id}.ics", "/sessions.ics"):
        body = site.client().get(url).get_data(as_text=True)
        cancelled = events(Calendar.from_ical(body))[meeting_uid(site, scene.meeting)]
        assert str(cancelled["status"]) == "CANCELLED"
        assert int(cancelled["sequence"]) == 1
        assert str(cancelled["summary"]) == "Скасовано: Засідання комісії: З питань бюджету"
        assert "грип" not in body


def test_a_meeting_s_agenda_names_only_drafts_the_public_may_read(site):
    world = site.world
    scene = referred_and_meeting(site.session, world, opened=False)
    fire(
        site.session,
        scene.draft,
        "return_for_revision",
        world.actor(world.secretary, 1.5),
        comment="Доопрацювати",
        now=world.at(1.5),
    )
    site.commit()

    body = site.client().get(f"/committees/{world.budget.id}.ics").get_data(as_text=True)

    meeting = events(Calendar.from_ical(body))[meeting_uid(site, scene.meeting)]
    assert "description" not in meeting  # the draft is being written again: not the public's yet
    assert "Про ремонт даху" not in body


def test_a_meeting_s_summary_speaks_the_reader_s_language(site):
    scene = referred_and_meeting(site.session, site.world, opened=False)
    site.commit()

    calendar = feed(in_english(site.client()), "/sessions.ics")

    meeting = events(calendar)[meeting_uid(site, scene.meeting)]
    assert str(meeting["summary"]) == "Committee meeting: З питань бюджету"  # the committee has no English name
    assert str(meeting["description"]).startswith("Agenda:\n1. ")
