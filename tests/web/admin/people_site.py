"""The administrator on the test site: an administrator with a password, signed in; the e-mails a link to set a
password went out in, and the link read back from one."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.web.site import Site, password_hash, sign_in
from workflow.council.organisation import setup
from workflow.notifications.models import OutgoingMail
from workflow.people import Person


def with_admin(site: Site) -> Person:
    admin = setup.add_person(site.session, "Дмитро Мартинюк", email="d.martyniuk@rada.example", roles=["admin"])
    admin.password_hash = password_hash()
    site.commit()
    return admin


def admin_client(site: Site) -> tuple[FlaskClient, Person]:
    admin = with_admin(site)
    client = site.client()
    sign_in(client, admin)
    return client, admin


def mails_to(site: Site, address: str) -> list[OutgoingMail]:
    with site.app.extensions["radaflow"].sessions() as session:
        return list(
            session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == address).order_by(OutgoingMail.id))
        )


def link_in(mail: OutgoingMail) -> str:
    """The path of the link an e-mail carries (/password/<token>)."""
    found = re.search(r"https?://[^/\s]+(/password/\S+)", mail.body)
    assert found is not None, mail.body
    return found.group(1)


def stored_person(site: Site, person_id: int) -> Person:
    with site.app.extensions["radaflow"].sessions() as session:
        person = session.get(Person, person_id)
        assert person is not None
        session.expunge(person)
        return person
