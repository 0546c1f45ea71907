"""Settings come from the environment in one place: nothing set means the embedded default, and production
refuses to start without a real secret key or without saying where e-mail goes."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workflow.config import (
    DEV_SECRET_KEY,
    PROJECT_ROOT,
    ConfigError,
    Settings,
    normalise_database_url,
    public_key_text,
)

GOOD_KEY = "Zq3v8W1x-kY5pL0nR7tB2cH9dJ4fG6sA_mE1uT8oI3w"


def test_an_empty_environment_gives_the_embedded_default():
    settings = Settings.from_env({})

    assert settings.env == "development"
    assert not settings.is_production
    assert settings.instance_dir == PROJECT_ROOT / "instance"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'instance' / 'radaflow.sqlite3'}"
    assert settings.redis_url is None
    assert settings.secret_key == DEV_SECRET_KEY
    assert settings.definitions_dir == PROJECT_ROOT / "definitions"
    assert settings.default_locale == "uk"


def test_the_embedded_database_follows_the_instance_directory(tmp_path):
    settings = Settings.from_env({"RADAFLOW_INSTANCE": str(tmp_path / "rada")})

    assert settings.instance_dir == tmp_path / "rada"
    assert settings.database_url == f"sqlite:///{tmp_path / 'rada' / 'radaflow.sqlite3'}"


def test_relative_directories_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    settings = Settings.from_env({"RADAFLOW_INSTANCE": "var/rada", "RADAFLOW_DEFINITIONS": "machines"})

    assert settings.instance_dir == tmp_path / "var" / "rada"
    assert settings.definitions_dir == tmp_path / "machines"


def test_the_process_environment_is_read_when_none_is_given(monkeypatch):
    monkeypatch.setenv("RADAFLOW_ENV", "test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")

    settings = Settings.from_env()

    assert (settings.env, settings.redis_url) == ("test", "redis://127.0.0.1:6379/0")


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgres://rada:secret@db.rada.example:5432/radaflow",
            "postgresql+psycopg://rada:secret@db.rada.example:5432/radaflow",
        ),
        ("postgresql://rada@127.0.0.1/radaflow", "postgresql+psycopg://rada@127.0.0.1/radaflow"),
        ("postgresql+psycopg://rada@127.0.0.1/radaflow", "postgresql+psycopg://rada@127.0.0.1/radaflow"),
        ("sqlite:////srv/rada/radaflow.sqlite3", "sqlite:////srv/rada/radaflow.sqlite3"),
    ],
)
def test_database_urls_are_spoken_through_psycopg_3(given, used):
    assert Settings.from_env({"DATABASE_URL": given}).database_url == used
    assert normalise_database_url(given) == used


def test_an_empty_redis_url_means_no_redis():
    assert Settings.from_env({"REDIS_URL": ""}).redis_url is None


@pytest.mark.parametrize(
    "environment",
    [
        pytest.param({}, id="no key"),
        pytest.param({"SECRET_KEY": ""}, id="empty key"),
        pytest.param({"SECRET_KEY": "council2026"}, id="short key"),
        pytest.param({"SECRET_KEY": "x" * 31}, id="one character short"),
        pytest.param({"SECRET_KEY": DEV_SECRET_KEY}, id="the development key"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(environment):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"RADAFLOW_ENV": "production", **environment})

    message = str(refused.value)
    assert "SECRET_KEY must be set to a random string of at least 32 characters in production" in message
    assert "secrets.token_urlsafe(48)" in message, "the message says how to make a key"


def test_production_with_a_good_key_starts():
    settings = Settings.from_env(
        {
            "RADAFLOW_ENV": "Production",
            "SECRET_KEY": GOOD_KEY,
            "DATABASE_URL": "postgresql://rada@db.rada.example/radaflow",
            "REDIS_URL": "redis://redis.rada.example:6379/0",
            "SMTP_URL": "smtp+starttls://radaflow:secret@mail.rada.example",
        }
    )

    assert settings.env == "production"
    assert settings.is_production
    assert settings.secret_key == GOOD_KEY
    assert settings.database_url == "postgresql+psycopg://rada@db.rada.example/radaflow"
    assert settings.redis_url == "redis://redis.rada.example:6379/0"


def test_a_key_of_exactly_32_characters_is_enough():
    production = {"RADAFLOW_ENV": "production", "SMTP_URL": "smtp://mail.rada.example"}
    assert Settings.from_env({**production, "SECRET_KEY": "k" * 32}).secret_key == "k" * 32


def test_production_refuses_to_start_without_saying_where_e_mail_goes():
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"RADAFLOW_ENV": "production", "SECRET_KEY": GOOD_KEY})

    message = str(refused.value)
    assert message.startswith("SMTP_URL must be set in production: smtp://[user:password@]host[:port]")
    assert "SMTP_URL=off to send no e-mail" in message


def test_smtp_url_off_sends_no_e_mail_in_production_or_anywhere():
    for mode in ("production", "development"):
        settings = Settings.from_env({"RADAFLOW_ENV": mode, "SECRET_KEY": GOOD_KEY, "SMTP_URL": " OFF "})

        assert (settings.smtp_url, settings.email_off) == (None, True)


def test_development_without_smtp_url_writes_e_mails_as_files():
    settings = Settings.from_env({})

    assert (settings.smtp_url, settings.email_off) == (None, False)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mail.rada.example", "SMTP_URL: unknown scheme ''"),
        ("smtp://mail.rada.example:twenty-five", "SMTP_URL: the port is not a number"),
        ("smtp+starttls://", "SMTP_URL names no host"),
    ],
)
def test_a_malformed_smtp_url_stops_the_start_not_the_first_e_mail(url, problem):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({"SMTP_URL": url})

    assert str(refused.value).startswith(problem)
    assert "expected smtp://[user:password@]host[:port], smtp+starttls://... or smtps://..." in str(refused.value)


def test_development_uses_the_key_it_is_given():
    assert Settings.from_env({"SECRET_KEY": "short"}).secret_key == "short"


@pytest.mark.parametrize("mode", ["prod", "staging", "developement"])
def test_an_unknown_mode_is_refused(mode):
    with pytest.raises(ConfigError, match=rf"RADAFLOW_ENV='{mode}': expected development, production or test"):
        Settings.from_env({"RADAFLOW_ENV": mode})


# --- the seal key ---------------------------------------------------------------------------------------------
def test_the_seal_key_may_be_given_as_base64_or_as_pem_and_its_public_half_pinned():
    key = Ed25519PrivateKey.generate()
    raw = base64.b64encode(key.private_bytes_raw()).decode()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = public_key_text(key.public_key())

    assert Settings.from_env({"RADAFLOW_SEAL_KEY": raw}).seal_key == raw
    assert Settings.from_env({"RADAFLOW_SEAL_KEY": pem, "RADAFLOW_SEAL_PUBLIC_KEY": public}).seal_public_key == public
    assert raw not in repr(Settings.from_env({"RADAFLOW_SEAL_KEY": raw}))
    settings = Settings.from_env({"RADAFLOW_INSTANCE": "/srv/rada"})
    assert (settings.seal_key, settings.seal_public_key) == (None, None)
    assert settings.seals_dir == settings.instance_dir / "seals"
    assert settings.seal_key_file == settings.instance_dir / "seal-key.pem"


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"RADAFLOW_SEAL_KEY": "not a key!"}, "RADAFLOW_SEAL_KEY: not base64"),
        ({"RADAFLOW_SEAL_KEY": "c2hvcnQ="}, "RADAFLOW_SEAL_KEY: 5 bytes, not 32"),
        (
            {"RADAFLOW_SEAL_KEY": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"},
            "RADAFLOW_SEAL_KEY: not a readable unencrypted PEM private key",
        ),
        ({"RADAFLOW_SEAL_PUBLIC_KEY": "QUFB"}, "RADAFLOW_SEAL_PUBLIC_KEY: 3 bytes, not 32"),
        (
            {"RADAFLOW_SEAL_KEY": "A" * 43 + "=", "RADAFLOW_SEAL_PUBLIC_KEY": "B" * 43 + "="},
            "RADAFLOW_SEAL_PUBLIC_KEY is not the public half of RADAFLOW_SEAL_KEY",
        ),
    ],
    ids=["not-base64", "too-short", "bad-pem", "short-public", "halves-differ"],
)
def test_a_malformed_seal_key_stops_the_start_with_what_is_wrong(environ, says):
    with pytest.raises(ConfigError, match=says):
        Settings.from_env(environ)
