"""Rate limits on the forms anyone may post: sign-in today, citizens' messages, comments and registration as they
come. A view is marked with `@public_form(...)`; each application limits its marked views by the client's
address and, where the form names an account, by that account (Flask-Limiter). The counts live in Redis when
REDIS_URL is set (shared by every web process), in memory otherwise (the embedded mode's one process), and in
memory too while Redis is down, so that signing in never depends on it.

Too many posts are answered 429 with a page that says when to try again, and a Retry-After header.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse_many

from workflow.config import ConfigError, Settings

View = TypeVar("View", bound=Callable[..., ResponseReturnValue])

_MARK = "_radaflow_public_form"


@dataclass(frozen=True)
class PublicForm:
    #: the account the post is about (e.g. the e-mail typed in), counted on its own; None for forms without one
    account: Callable[[], str] | None
    #: which answers count against the limits; None: every post
    counts: Callable[[Response], bool] | None


def public_form(
    *,
    account: Callable[[], str] | None = None,
    counts: Callable[[Response], bool] | None = None,
) -> Callable[[View], View]:
    """Limit the posts of this form per client address (`limit_per_address`) and, given `account`, per account
    (`limit_per_account`). `counts`: only the answers for which it is true count (sign-in: the refused ones)."""

    def mark(view: View) -> View:
        setattr(view, _MARK, PublicForm(account, counts))
        return view

    return mark


def refused(response: Response) -> bool:
    """An answer that did not let the post through: a wrong password, a form that failed its checks (a post
    refused for the limit itself is not counted again: the pause ends when it was said to)."""
    return response.status_code >= 400 and response.status_code != 429


def client_address() -> str:
    """The client's address (behind a reverse proxy: as RADAFLOW_TRUSTED_PROXIES lets ProxyFix read it)."""
    return request.remote_addr or "unknown"


def init_app(app: Flask, settings: Settings) -> Limiter:
    """After every blueprint is registered: limit the views marked `public_form`."""
    for name in ("limit_per_account", "limit_per_address"):
        value = getattr(settings, name)
        try:
            parse_many(value)
        except ValueError:
            raise ConfigError(
                f"RADAFLOW_{name.upper()}={value!r}: expected limits such as '5 per minute; 20 per hour'"
            ) from None
    limiter = Limiter(
        client_address,
        storage_uri=settings.redis_url or "memory://",
        # Redis down: count in this process's memory meanwhile rather than refuse every sign-in
        in_memory_fallback_enabled=settings.redis_url is not None,
        key_prefix="radaflow-limits",
        strategy="fixed-window",
        headers_enabled=False,  # only the refusal says when to come back (Retry-After); nothing else is told
    )
    limiter.init_app(app)
    app.extensions["radaflow.limiter"] = limiter
    for endpoint, view in list(app.view_functions.items()):
        form: PublicForm | None = getattr(view, _MARK, None)
        if form is None:
            continue
        per_address = limiter.limit(settings.limit_per_address, methods=["POST"], deduct_when=form.counts)
        limited: Callable[..., Any] = per_address(view)
        if form.account is not None:
            limited = limiter.limit(
                settings.limit_per_account,
                methods=["POST"],
                key_func=_account_key(form.account),
                deduct_when=form.counts,
                scope="account",
            )(limited)
        app.view_functions[endpoint] = limited

    @app.errorhandler(RateLimitExceeded)
    def _too_many(_error: RateLimitExceeded) -> ResponseReturnValue:
        breached = limiter.current_limit
        seconds = 60 if breached is None else max(1, math.ceil(breached.window.reset_time - time.time()))
        message = _("Too many attempts in a short time: try again in %(wait)s.", wait=_wait(seconds))
        response = current_app.make_response(
            (render_template("message.html", title=_("Too many attempts"), message=message), 429)
        )
        response.headers["Retry-After"] = str(seconds)
        return response

    return limiter


def _account_key(account: Callable[[], str]) -> Callable[[], str]:
    return lambda: f"account:{account() or '-'}"


def _wait(seconds: int) -> str:
    """'45 s', '3 min' (in the reader's language)."""
    if seconds < 120:
        return str(_("%(n)s s", n=seconds))
    return str(_("%(n)s min", n=math.ceil(seconds / 60)))
