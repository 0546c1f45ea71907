"""Configuration, read from the environment in one place.

The embedded default needs nothing set: SQLite under `instance/`, no Redis (effects run in-process after the
commit), e-mails written as files. Production (`RADAFLOW_ENV=production`) refuses to start without a real
`SECRET_KEY`, and without `SMTP_URL` (a mail server, or `off` for no e-mail at all); a malformed `SMTP_URL` is
refused at start everywhere.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "radaflow-development-key-not-secret"


class ConfigError(Exception):
    """The environment does not describe a deployment Radaflow can run in."""


@dataclass(frozen=True)
class Settings:
    #: "development" (the embedded default) or "production"
    env: str
    #: SQLAlchemy URL; SQLite under instance/ by default, e.g. postgresql+psycopg://user@host/db in production
    database_url: str
    #: Celery broker; None runs effects in-process after the commit
    redis_url: str | None
    secret_key: str
    #: where the YAML state machines live
    definitions_dir: Path
    #: where the embedded database and rendered files live
    instance_dir: Path
    #: default language of the interface and of messages
    default_locale: str = "uk"
    #: where e-mail goes: smtp://[user:password@]host[:port], smtp+starttls://..., smtps://...; None in
    #: development writes each message as an .eml file under instance/mail/ instead
    smtp_url: str | None = None
    #: SMTP_URL=off: no e-mail at all; people are told in their cabinets only
    email_off: bool = False
    mail_from: str = "Radaflow <radaflow@localhost>"
    #: the address people open the application at, for the links in e-mails
    base_url: str = "http://127.0.0.1:5000"
    #: the first retry of a failed effect or e-mail waits this long, each next one twice as long (capped at an hour)
    retry_seconds: float = 10.0
    #: the hour (Kyiv time) the daily digests go out at
    digest_hour: int = 7
    #: how often beat sweeps the outbox and the e-mail queue for what no kick reached (seconds)
    sweep_seconds: float = 5.0
    #: sign-in attempts that failed, per account (the address typed in), before a pause: limits in the
    #: notation "N per minute", several joined by ";"
    limit_per_account: str = "5 per minute; 20 per hour"
    #: posts of a form anyone may send (sign-in failures, later citizens' messages and comments), per client address
    limit_per_address: str = "30 per minute; 300 per hour"
    #: the largest request accepted (bytes): files uploaded with a form
    max_request_bytes: int = 25 * 1024 * 1024
    #: the largest text a form may carry (bytes): a whole form without files, each text field of one with files
    max_form_bytes: int = 1024 * 1024
    #: how many reverse proxies in front of the web application set X-Forwarded-For and -Proto (0: none), so
    #: that the client's own address is the one limits count
    trusted_proxies: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        mode = env.get("RADAFLOW_ENV", "").strip().lower() or "development"
        if mode not in {"development", "production", "test"}:
            raise ConfigError(f"RADAFLOW_ENV={mode!r}: expected development, production or test")
        instance_dir = Path(env.get("RADAFLOW_INSTANCE", PROJECT_ROOT / "instance")).resolve()
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'radaflow.sqlite3'}"
        database_url = normalise_database_url(database_url)
        secret_key = env.get("SECRET_KEY", "")
        if mode == "production" and (len(secret_key) < 32 or secret_key == DEV_SECRET_KEY):
            raise ConfigError(
                "SECRET_KEY must be set to a random string of at least 32 characters in production "
                '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        smtp_url, email_off = _smtp(env.get("SMTP_URL", "").strip(), production=mode == "production")
        return cls(
            env=mode,
            database_url=database_url,
            redis_url=env.get("REDIS_URL") or None,
            secret_key=secret_key or DEV_SECRET_KEY,
            definitions_dir=Path(env.get("RADAFLOW_DEFINITIONS", PROJECT_ROOT / "definitions")).resolve(),
            instance_dir=instance_dir,
            default_locale=env.get("RADAFLOW_LOCALE", "uk"),
            smtp_url=smtp_url,
            email_off=email_off,
            mail_from=env.get("MAIL_FROM") or "Radaflow <radaflow@localhost>",
            base_url=(env.get("RADAFLOW_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
            retry_seconds=_number(env, "RADAFLOW_RETRY_SECONDS", 10.0, low=0.01, high=3600),
            digest_hour=int(_number(env, "RADAFLOW_DIGEST_HOUR", 7, low=0, high=23)),
            sweep_seconds=_number(env, "RADAFLOW_SWEEP_SECONDS", 5.0, low=0.1, high=3600),
            limit_per_account=env.get("RADAFLOW_LIMIT_PER_ACCOUNT", "").strip() or cls.limit_per_account,
            limit_per_address=env.get("RADAFLOW_LIMIT_PER_ADDRESS", "").strip() or cls.limit_per_address,
            max_request_bytes=int(_number(env, "RADAFLOW_MAX_REQUEST_MB", 25, low=1, high=4096) * 1024 * 1024),
            max_form_bytes=int(_number(env, "RADAFLOW_MAX_FORM_KB", 1024, low=16, high=65536) * 1024),
            trusted_proxies=int(_number(env, "RADAFLOW_TRUSTED_PROXIES", 0, low=0, high=10)),
        )


def _smtp(raw: str, *, production: bool) -> tuple[str | None, bool]:
    """SMTP_URL as (the URL, whether e-mail is off): checked now, so a typo stops the start, not the first mail."""
    if raw.lower() == "off":
        return None, True
    if raw:
        parse_smtp_url(raw)
        return raw, False
    if production:
        raise ConfigError(
            "SMTP_URL must be set in production: smtp://[user:password@]host[:port], smtp+starttls://... or "
            "smtps://...; or SMTP_URL=off to send no e-mail (people are then told in their cabinets only). "
            "Without it e-mails would only be written as files under the instance directory."
        )
    return None, False


_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where and how to hand mail over, read from SMTP_URL."""

    scheme: str
    host: str
    port: int
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    """`smtp://[user:password@]host[:port]` (plain, port 25), `smtp+starttls://...` (587) or `smtps://...`
    (TLS from the start, 465); anything else is a ConfigError that says what is expected."""
    expected = "expected smtp://[user:password@]host[:port], smtp+starttls://... or smtps://..."
    parts = urlsplit(url)
    if parts.scheme not in _PORTS:
        raise ConfigError(f"SMTP_URL: unknown scheme {parts.scheme!r}; {expected}")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"SMTP_URL: the port is not a number; {expected}") from None
    if not parts.hostname:
        raise ConfigError(f"SMTP_URL names no host; {expected}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(f"SMTP_URL: a path or query means nothing here; {expected}")
    return SmtpTarget(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port or _PORTS[parts.scheme],
        username=None if parts.username is None else unquote(parts.username),
        password=None if parts.password is None else unquote(parts.password),
    )


def _number(env: Mapping[str, str], name: str, default: float, *, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={raw!r}: expected a number from {low:g} to {high:g}")
    return value


def normalise_database_url(url: str) -> str:
    """Let operators write the usual postgresql:// URL; Radaflow speaks to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
