"""Failed effects and e-mails on the administrator's page: listed with what failed (summarised, nothing secret),
put back in line one by one or all at once in one transaction with their idempotency keys kept, and carried out
again after the commit; a row that is not failed (put back already, in another tab) is refused, nothing done."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.admin.admin_site import admin_client, failed_effect, failed_mail, nothing_changes, post
from tests.web.site import in_english, text_of
from workflow.engine.models import OutboxRow
from workflow.notifications.models import OutgoingMail


def _row(site, model, ident):
    with site.app.extensions["radaflow"].sessions() as session:
        return session.get(model, ident)


def test_the_failures_are_listed_with_their_errors_summarised_and_nothing_secret(site):
    effect = failed_effect(site)
    mail = failed_mail(site)
    client = admin_client(site)

    html = client.get("/admin/operations").get_data(as_text=True)
    page = text_of(html)

    assert f'id="effect-{effect.id}"' in html
    assert f'id="mail-{mail.id}"' in html
    assert f"{effect.id} notify Про ремонт даху ліцею № 2 Проєкт рішення 8 SMTPAuthenticationError" in page
    assert "smtps://…@mail.rada.example:465" in page
    for secret in ("Pa55-w0rd", "eyJhbGciOiJIUzI1NiJ9", "Traceback", "secret-token"):
        assert secret not in html
    assert "deputy@rada.example Нове завдання 8 SMTPRecipientsRefused: 550 mailbox unavailable" in page


def test_one_failed_effect_is_put_back_in_line_keeps_its_key_and_is_carried_out(site):
    effect = failed_effect(site)
    key = effect.idempotency_key
    client = admin_client(site)

    response = post(client, f"/admin/operations/effects/{effect.id}/retry")

    assert response.status_code == 302
    again = _row(site, OutboxRow, effect.id)
    # put back, then carried out after the commit (the embedded mode's ticker), under the same key
    assert (again.status, again.attempts, again.idempotency_key, again.last_error) == ("done", 1, key, None)
    assert "Завдання повернуто в чергу" in text_of(client.get("/admin/operations").get_data(as_text=True))


def test_every_failed_effect_and_e_mail_is_put_back_at_once(site):
    first, second = failed_effect(site), failed_effect(site)
    mails = [failed_mail(site, "Перший"), failed_mail(site, "Другий")]
    client = admin_client(site)

    effects = post(client, "/admin/operations/effects/retry")
    sent = post(client, "/admin/operations/mail/retry")

    assert effects.status_code == sent.status_code == 302
    assert {_row(site, OutboxRow, row.id).status for row in (first, second)} == {"done"}
    assert {_row(site, OutgoingMail, mail.id).status for mail in mails} == {"sent"}  # written to instance/mail/
    page = text_of(client.get("/admin/operations").get_data(as_text=True))
    assert "Жодне завдання не зазнало невдачі." in page
    assert "Жоден лист не зазнав невдачі." in page


def test_a_row_put_back_already_is_refused_and_nothing_is_done(site):
    effect = failed_effect(site)
    mail = failed_mail(site)
    client = admin_client(site)
    post(client, f"/admin/operations/effects/{effect.id}/retry")

    with nothing_changes(site):
        twice = post(in_english(client), f"/admin/operations/effects/{effect.id}/retry")
        gone = post(client, "/admin/operations/mail/999999/retry")

    assert twice.status_code == 409
    assert f"effect {effect.id} is done, not failed: only a failed effect is retried by hand" in text_of(
        twice.get_data(as_text=True)
    )
    assert gone.status_code == 404
    assert _row(site, OutgoingMail, mail.id).status == "failed"
    for url in ("/admin/operations/effects/0/retry", "/admin/operations/mail/2147483648/retry"):
        assert post(client, url).status_code == 404


def test_a_retry_without_the_form_s_token_is_refused(site):
    effect = failed_effect(site)
    client = admin_client(site)

    with nothing_changes(site):
        response = client.post(f"/admin/operations/effects/{effect.id}/retry", data={})

    assert response.status_code == 400
    assert site.session.scalar(select(OutboxRow.status).where(OutboxRow.id == effect.id)) == "failed"
