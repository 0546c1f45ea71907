"""A person's notifications: what they are told, marking it read (theirs only), and opening the document."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.site import (
    sign_in,
    submitted,
    token,
    unread,
)
from workflow.notifications.models import Notification


# --- notifications -------------------------------------------------------------------------------------------
def test_a_reviewer_sees_the_visa_request_and_opening_the_draft_marks_it_read(site):
    draft = submitted(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    page = client.get("/notifications").get_data(as_text=True)

    assert "Проєкт рішення чекає на вашу візу: «Про ремонт даху ліцею № 2»" in page
    assert '<span class="visually-hidden">, непрочитаних: 1</span>' in page
    assert f'href="/documents/{draft.id}"' in page
    assert client.get(f"/documents/{draft.id}").status_code == 200
    assert unread(site, site.world.lawyer) == 0


def test_a_notification_is_marked_read_by_its_recipient_only(site):
    submitted(site)
    mine = site.session.scalars(select(Notification).where(Notification.person_id == site.world.lawyer.id)).one()
    site.commit()  # ends the read's transaction, which holds SQLite's write lock
    client = site.client()
    sign_in(client, site.world.staff)  # the author, who was not told of their own move

    refused = client.post("/notifications/read", data={"id": str(mine.id), "csrf_token": token(client)})

    assert refused.status_code == 403
    assert unread(site, site.world.lawyer) == 1
    sign_in(client, site.world.lawyer)
    done = client.post("/notifications/read", data={"id": str(mine.id), "csrf_token": token(client)})
    assert (done.status_code, done.headers["Location"]) == (302, "/notifications")
    assert unread(site, site.world.lawyer) == 0


def test_marking_read_without_saying_which_is_refused_and_all_marks_all(site):
    submitted(site)
    submitted(site)
    client = site.client()
    sign_in(client, site.world.lawyer)

    assert client.post("/notifications/read", data={"csrf_token": token(client)}).status_code == 422
    assert client.post("/notifications/read", data={"id": "x", "csrf_token": token(client)}).status_code == 422
    assert unread(site, site.world.lawyer) == 2
    done = client.post("/notifications/read", data={"all": "1", "csrf_token": token(client)})
    assert (done.status_code, done.headers["Location"]) == (302, "/notifications")
    assert unread(site, site.world.lawyer) == 0


def test_the_notifications_page_asks_a_stranger_to_sign_in(site):
    response = site.client().get("/notifications")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
