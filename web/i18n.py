"""The web's language: Ukrainian by default, English on request (`?lang=en` on any page, or the switch in every
page's header), remembered in a cookie. Flask-Babel translates the templates and views from the project's one
catalog (`workflow/translations/`); what the domain says (refusals, reasons, titles) is written by `say`."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from flask import Blueprint, Flask, Response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response as BaseResponse

from workflow import i18n

bp = Blueprint("language", __name__)
#: the cookie that remembers the reader's language (a year)
COOKIE = "radaflow_lang"
_YEAR = 365 * 24 * 3600


def locale() -> str:
    """The language of this request: `?lang=`, else the cookie, else Ukrainian."""
    asked = request.args.get("lang") or request.cookies.get(COOKIE)
    return i18n.locale_of(asked)


def current() -> str:
    return str(get_locale() or i18n.DEFAULT_LOCALE)


def command_line_locale() -> str:
    """The command line's language: RADAFLOW_LANG (uk or en), English by default, which scripts and logs read."""
    return i18n.locale_of(os.environ.get("RADAFLOW_LANG") or "en")


def say(value: Any) -> str:
    """What the domain says (a refusal, a reason, a title, a moment), in the reader's language."""
    return i18n.render(value, current())


def language_names() -> list[tuple[str, str]]:
    """Each language of the site, named in itself (Babel's names), so that a reader finds their own whichever
    language the page is in: [("uk", "Українська"), ("en", "English")]."""
    return [(code, (Locale.parse(code).get_language_name(code) or code).capitalize()) for code in i18n.LOCALES]


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", i18n.DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Kyiv")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(i18n.TRANSLATIONS_DIR)
    Babel(app, locale_selector=locale)
    app.register_blueprint(bp)
    app.jinja_env.filters["say"] = say
    app.jinja_env.filters["moment"] = lambda value: "" if value is None else i18n.moment(value, current())

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"lang": current(), "languages": language_names(), "language_back": _page_to_return_to()}

    @app.after_request
    def _remember(response: Response) -> Response:
        """`?lang=` on any page is remembered, as the switch is."""
        asked = request.args.get("lang")
        if asked and i18n.locale_of(asked) == asked and request.cookies.get(COOKIE) != asked:
            _set_cookie(response, asked)
        return response


@bp.get("/language/<lang>")
def switch(lang: str) -> ResponseReturnValue:
    """The header's switch: remember the language and go back to the page it was chosen on."""
    chosen = i18n.locale_of(lang)
    response = redirect(_back(request.args.get("next")))
    _set_cookie(response, chosen)
    return response


def _page_to_return_to() -> str:
    """Where the switch leads back: the page itself, or for a page that answered a form (a refusal shown at the
    form's address, which takes no GET) the page the form was sent from."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    sent_from = urlsplit(request.referrer or "")
    if sent_from.netloc == request.host and sent_from.path.startswith("/"):
        return sent_from.path + (f"?{sent_from.query}" if sent_from.query else "")
    return url_for("public.index")


def _set_cookie(response: BaseResponse, lang: str) -> None:
    response.set_cookie(COOKIE, lang, max_age=_YEAR, samesite="Lax", httponly=True, secure=request.is_secure)


def _back(target: str | None) -> str:
    """Only a path on this site (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("public.index")
