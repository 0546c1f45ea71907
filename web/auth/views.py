"""Signing in and out of the cabinet: a person with an account (an e-mail address and a password, argon2-hashed)
signs in with a form; the session cookie then carries who they are (Flask-Login), and every form carries a CSRF
token (Flask-WTF). Which roles the person holds is read from the database on each request, so a role granted,
delegated or taken away counts at once.

The cookie names the person and their session epoch at sign-in ("12:3"); signing out, a new password and an
administrator's deactivation move the epoch on, so every cookie issued before (a copy included) signs nobody in.
Failed sign-ins are rate-limited per account and per client address (web.limits)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import func, select

from web.auth import bp
from web.auth.forms import SignInForm
from web.database import db
from web.ids import is_id
from web.limits import public_form, refused
from workflow.people import (
    Actor,
    Person,
    check_password,
    end_sessions,
    hash_password,
    load_actor,
    may_sign_in,
)

login_manager = LoginManager()
csrf = CSRFProtect()


@cache
def _no_account() -> Person:
    """Checked against when no account matches, so that a wrong address takes as long as a wrong password."""
    return Person(full_name="", password_hash=hash_password("no account has this password"))


class SignedIn(UserMixin):  # type: ignore[misc]
    """The person the session cookie names, as Flask-Login keeps them for the request."""

    def __init__(self, person: Person) -> None:
        self.id = person.id
        self.name = person.full_name
        self.locale = person.locale
        self.epoch = person.session_epoch

    def get_id(self) -> str:
        """What the session cookie keeps: the person and the epoch they signed in under."""
        return f"{self.id}:{self.epoch}"

    def actor(self) -> Actor:
        """The person's roles as they hold them now."""
        return load_actor(db(), self.id)


def init_app(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """`overrides`: the configuration the application was created with, which these defaults do not replace."""
    given = overrides or {}
    # Flask's own defaults send the session cookie cross-site and over plain HTTP: not for a signed-in cabinet
    app.config["SESSION_COOKIE_SAMESITE"] = given.get("SESSION_COOKIE_SAMESITE", "Lax")
    app.config["SESSION_COOKIE_SECURE"] = given.get(
        "SESSION_COOKIE_SECURE", app.config.get("RADAFLOW_ENV") == "production"
    )
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    csrf.init_app(app)

    @app.errorhandler(CSRFError)
    def _stale_form(error: CSRFError) -> ResponseReturnValue:
        message = _("The form is out of date or was not sent from this page: reload the page and try again.")
        return render_template("message.html", title=_("The form was not accepted"), message=message), 400


@login_manager.user_loader  # type: ignore[untyped-decorator]
def _load(cookie_id: str) -> SignedIn | None:
    """The person the cookie names, if the session is still theirs: same epoch, account open."""
    person_id, _, epoch = cookie_id.partition(":")
    if not (person_id.isascii() and person_id.isdigit() and epoch.isascii() and epoch.isdigit()):
        return None  # a cookie from before epochs, or forged: nobody
    if not is_id(int(person_id)):
        return None
    person = db().get(Person, int(person_id))
    if person is None or not may_sign_in(person) or str(person.session_epoch) != epoch:
        return None
    return SignedIn(person)


def _typed_address() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@public_form(account=_typed_address, counts=refused)
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        address = form.email.data.strip().lower()
        person = db().scalar(select(Person).where(func.lower(Person.email) == address))
        # argon2 runs whether or not the address has an account: how long it takes tells nothing
        account = person if person is not None and may_sign_in(person) else _no_account()
        if check_password(account, form.password.data) and account is person:
            login_user(SignedIn(person))
            return redirect(_safe_next(request.args.get("next")))
        error = _("Wrong e-mail address or password.")
    status = 200 if error is None and not form.errors else 422
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def sign_out() -> ResponseReturnValue:
    user = signed_in()
    if user is not None:  # every session of the person ends, a copy of this one's cookie included
        person = db().get(Person, user.id)
        if person is not None:
            end_sessions(db(), person)
    logout_user()
    flash(_("You have signed out of the cabinet."))
    return redirect(url_for("public.index"))


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("cabinet.notifications")


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: never another host (an open redirect would send people
    to a lookalike)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return None


def signed_in() -> SignedIn | None:
    user = current_user
    return user if isinstance(user, SignedIn) else None
