"""What every response and request goes through to keep intruders out: security headers on every answer, and a
limit on how large a request may be before it is read.

Our own after_request rather than Flask-Talisman: Talisman's last release (1.1.0) is of August 2023, its
original repository is archived, and of what it does we need only the headers below (we serve no inline script,
so no nonces; HTTPS is the reverse proxy's, so no redirects). A dozen lines we test are easier to trust.
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from workflow.config import Settings

#: what the pages may load: only this site's own files; no inline script or style, no plugins, no framing
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # a document's address (its id) never leaves for another site; our own pages still see where one came from
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
#: production is served over HTTPS only (README: behind a reverse proxy): browsers are told to insist on it
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

MULTIPART = "multipart/form-data"


def init_app(app: Flask, settings: Settings) -> None:
    """Before any other hook reads the request (CSRF reads the form first)."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_form_bytes
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.trusted_proxies,
            x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies,
        )
    production = settings.is_production

    @app.before_request
    def _limit_form_text() -> None:
        # Werkzeug reads a url-encoded body whole, and the form memory limit holds only for multipart parts:
        # a request without files may be no larger than the text a form may carry.
        if request.mimetype != MULTIPART:
            request.max_content_length = settings.max_form_bytes

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
        message = _(
            "Request too large: at most %(files)s of files, %(text)s of form text.",
            files=size(settings.max_request_bytes),
            text=size(settings.max_form_bytes),
        )
        return render_template("message.html", title=_("Request too large"), message=message), 413


def size(count: int) -> str:
    """'25 MB', '1.5 MB', '512 KB', in the reader's language and its decimal sign."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return str(_("%(n)s MB", n=count // (1024 * 1024)))
    if count >= 1024 * 1024:
        return str(_("%(n)s MB", n=format_decimal(round(count / (1024 * 1024), 1))))
    return str(_("%(n)s KB", n=count // 1024))
