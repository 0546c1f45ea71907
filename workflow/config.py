"""Configuration, read from the environment in one place.

The embedded default needs nothing set: SQLite under `instance/`, no Redis (effects run in-process after the
commit), e-mails written as files. Production (`RADAFLOW_ENV=production`) refuses to start without a real
`SECRET_KEY`, and without `SMTP_URL` (a mail server, or `off` for no e-mail at all); a malformed `SMTP_URL` is
refused at start everywhere, and so is a malformed seal key (`RADAFLOW_SEAL_KEY`, `RADAFLOW_SEAL_PUBLIC_KEY`).
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

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
    #: the Ed25519 private key that signs the audit chain's seals (RADAFLOW_SEAL_KEY: base64 of its 32 bytes, or
    #: PEM); None: the key file in the instance folder, generated on first use except in production
    seal_key: str | None = field(default=None, repr=False)
    #: the public key every seal must be signed by (RADAFLOW_SEAL_PUBLIC_KEY), for checking seals on a host that
    #: does not hold the private key; None: the public half of the private key
    seal_public_key: str | None = None
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

    @property
    def seals_dir(self) -> Path:
        """Where the audit chain's seals are written, one file per day."""
        return self.instance_dir / "seals"

    @property
    def seal_key_file(self) -> Path:
        """The seal key's file when RADAFLOW_SEAL_KEY is not set (PEM, mode 0600)."""
        return self.instance_dir / "seal-key.pem"

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
        seal_key, seal_public_key = _seal_keys(env)
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
            seal_key=seal_key,
            seal_public_key=seal_public_key,
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


def _seal_keys(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """RADAFLOW_SEAL_KEY and RADAFLOW_SEAL_PUBLIC_KEY, checked now: a typo stops the start, not the night's seal."""
    private_text = env.get("RADAFLOW_SEAL_KEY", "").strip() or None
    public_text = env.get("RADAFLOW_SEAL_PUBLIC_KEY", "").strip() or None
    private = None if private_text is None else parse_seal_key(private_text, "RADAFLOW_SEAL_KEY")
    public = None if public_text is None else parse_seal_public_key(public_text, "RADAFLOW_SEAL_PUBLIC_KEY")
    if private is not None and public is not None and public_key_text(private.public_key()) != public_key_text(public):
        raise ConfigError(
            "RADAFLOW_SEAL_PUBLIC_KEY is not the public half of RADAFLOW_SEAL_KEY: seals signed with "
            "the one would be refused under the other"
        )
    return private_text, public_text


_SEAL_KEY_FORMS = "expected the base64 of a 32-byte Ed25519 key, or a PEM"


def parse_seal_key(text: str, where: str) -> Ed25519PrivateKey:
    """An Ed25519 private key written as the base64 of its 32 bytes or as an unencrypted PEM (PKCS #8)."""
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(text.encode("ascii", "replace"), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as error:
            raise ConfigError(f"{where}: not a readable unencrypted PEM private key ({error})") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ConfigError(
                f"{where}: a {type(key).__name__.removesuffix('PrivateKey') or 'non-Ed25519'} key; "
                "seals are signed with Ed25519"
            )
        return key
    return Ed25519PrivateKey.from_private_bytes(_key_bytes(text, where))


def parse_seal_public_key(text: str, where: str) -> Ed25519PublicKey:
    """An Ed25519 public key written as the base64 of its 32 bytes (as every seal publishes it) or as a PEM."""
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_public_key(text.encode("ascii", "replace"))
        except (ValueError, UnsupportedAlgorithm) as error:
            raise ConfigError(f"{where}: not a readable PEM public key ({error})") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ConfigError(f"{where}: not an Ed25519 public key; seals are signed with Ed25519")
        return key
    return Ed25519PublicKey.from_public_bytes(_key_bytes(text, where))


def public_key_text(key: Ed25519PublicKey) -> str:
    """The one text form of a seal's public key: the base64 of its 32 raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _key_bytes(text: str, where: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{where}: not base64; {_SEAL_KEY_FORMS}") from None
    if len(raw) != 32:
        raise ConfigError(f"{where}: {len(raw)} bytes, not 32; {_SEAL_KEY_FORMS}")
    return raw


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
